import { addStrings } from '../strings.js';
import type { Dictionary } from '../types.js';

/** UI strings for the access panel, loaded with it on the first tap of the Access button. */
const accessPanel = {
  en: {
    'access.title': 'Accessibility',
    'access.intro': 'Make the exhibit easier to see, read and hear.',
    'access.largeText': 'Large text',
    'access.largeText.hint': 'Bigger letters on every screen',
    'access.highContrast': 'High contrast',
    'access.highContrast.hint': 'Black, white and yellow',
    'access.reducedMotion': 'Less motion',
    'access.reducedMotion.hint': 'No moving pictures or sliding pages',
    'access.audioGuide': 'Audio guide',
    'access.audioGuide.hint': 'Reads the screen aloud when you ask',
    'access.on': 'On',
    'access.off': 'Off',
    'access.reset': 'Back to standard',
    'access.close': 'Close',
  },
  ru: {
    'access.title': 'Доступность',
    'access.intro': 'Сделайте выставку удобнее для зрения, чтения и слуха.',
    'access.largeText': 'Крупный шрифт',
    'access.largeText.hint': 'Крупные буквы на всех экранах',
    'access.highContrast': 'Высокий контраст',
    'access.highContrast.hint': 'Чёрный, белый и жёлтый',
    'access.reducedMotion': 'Меньше движения',
    'access.reducedMotion.hint': 'Без движущихся изображений и перелистывания',
    'access.audioGuide': 'Аудиогид',
    'access.audioGuide.hint': 'Читает экран вслух по вашей просьбе',
    'access.on': 'Вкл.',
    'access.off': 'Выкл.',
    'access.reset': 'Обычный вид',
    'access.close': 'Закрыть',
  },
} satisfies Dictionary;

addStrings(accessPanel);

export default accessPanel;
