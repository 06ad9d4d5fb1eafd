import { addStrings } from '../strings.js';
import type { Dictionary } from '../types.js';

/**
 * UI strings for the audio guide: its Read aloud button, its text plate and
 * the screen descriptions it reads, loaded once a visitor turns it on.
 */
const guide = {
  en: {
    'access.read': 'Read aloud',
    'access.readLabel': 'Read this screen aloud',
    'access.stop': 'Stop',
    'access.stopLabel': 'Stop reading aloud',
    'access.spoken': 'Audio guide text',
    'access.status.speaking': 'Reading aloud',
    'access.status.preparing': 'Getting ready to read',
    'access.status.unavailable': 'Speech is not available on this kiosk. Here is the text instead:',
    'access.status.muted': 'The sound is off. Here is the text instead:',
    'access.guide.image': 'Image: {alt}',
    'access.guide.credit': 'Credit: {credit}',
    'access.guide.idleChoices': 'Choose Keep exploring, or Start over.',
  },
  ru: {
    'access.read': 'Прочитать вслух',
    'access.readLabel': 'Прочитать этот экран вслух',
    'access.stop': 'Стоп',
    'access.stopLabel': 'Остановить чтение вслух',
    'access.spoken': 'Текст аудиогида',
    'access.status.speaking': 'Читаю вслух',
    'access.status.preparing': 'Готовлюсь читать',
    'access.status.unavailable': 'Озвучивание на этом киоске недоступно. Вот текст:',
    'access.status.muted': 'Звук выключен. Вот текст:',
    'access.guide.image': 'Изображение: {alt}',
    'access.guide.credit': 'Источник: {credit}',
    'access.guide.idleChoices': 'Выберите «Продолжить» или «Начать сначала».',
  },
} satisfies Dictionary;

addStrings(guide);

export default guide;
