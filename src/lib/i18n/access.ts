import type { Dictionary } from './types';

/** UI strings for the access dock's button, shown from the first frame. */
export default {
  en: {
    'access.button': 'Access',
    'access.buttonLabel': 'Accessibility: larger text, high contrast, less motion, audio guide',
  },
  ru: {
    'access.button': 'Доступность',
    'access.buttonLabel': 'Доступность: крупный шрифт, высокий контраст, меньше движения, аудиогид',
  },
} satisfies Dictionary;
