import type { Dictionary } from './types';

/** UI strings Home shows for the extra screens: their titles. */
export default {
  en: {
    'extras.timeline.title': 'Timeline',
    'extras.numbers.title': 'In numbers',
    'extras.map.title': 'Campaign map',
    'extras.credits.title': 'Credits and sources',
  },
  ru: {
    'extras.timeline.title': 'Хроника',
    'extras.numbers.title': 'В цифрах',
    'extras.map.title': 'Карта кампании',
    'extras.credits.title': 'Источники и авторы',
  },
} satisfies Dictionary;
