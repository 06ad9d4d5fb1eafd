import type { Dictionary } from './types';

/** UI strings for the access dock: its button, the read-aloud button and the guide's text plate. */
export default {
  en: {
    'access.button': 'Access',
    'access.buttonLabel': 'Accessibility: larger text, high contrast, less motion, audio guide',
    'access.read': 'Read aloud',
    'access.readLabel': 'Read this screen aloud',
    'access.stop': 'Stop',
    'access.stopLabel': 'Stop reading aloud',
    'access.spoken': 'Audio guide text',
    'access.status.speaking': 'Reading aloud',
    'access.status.preparing': 'Getting ready to read',
    'access.status.unavailable': 'Speech is not available on this kiosk. Here is the text instead:',
    'access.status.muted': 'The sound is off. Here is the text instead:',
  },
  ru: {
    'access.button': 'Доступность',
    'access.buttonLabel': 'Доступность: крупный шрифт, высокий контраст, меньше движения, аудиогид',
    'access.read': 'Прочитать вслух',
    'access.readLabel': 'Прочитать этот экран вслух',
    'access.stop': 'Стоп',
    'access.stopLabel': 'Остановить чтение вслух',
    'access.spoken': 'Текст аудиогида',
    'access.status.speaking': 'Читаю вслух',
    'access.status.preparing': 'Готовлюсь читать',
    'access.status.unavailable': 'Озвучивание на этом киоске недоступно. Вот текст:',
    'access.status.muted': 'Звук выключен. Вот текст:',
  },
} satisfies Dictionary;
