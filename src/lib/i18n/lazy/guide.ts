import { addStrings } from '../strings.js';
import type { Dictionary } from '../types.js';

/** UI strings the audio guide's screen descriptions add, loaded with them. */
const guide = {
  en: {
    'access.guide.image': 'Image: {alt}',
    'access.guide.credit': 'Credit: {credit}',
    'access.guide.idleChoices': 'Choose Keep exploring, or Start over.',
  },
  ru: {
    'access.guide.image': 'Изображение: {alt}',
    'access.guide.credit': 'Источник: {credit}',
    'access.guide.idleChoices': 'Выберите «Продолжить» или «Начать сначала».',
  },
} satisfies Dictionary;

addStrings(guide);

export default guide;
