import { addStrings } from '../strings.js';
import type { Dictionary } from '../types.js';

/** UI strings for sound: the Listen control, captions and the mute toggle, loaded with the audio dock and the caption bar. */
const audio = {
  en: {
    'audio.listen': 'Listen',
    'audio.stop': 'Stop',
    'audio.listenLabel': 'Listen to this chapter read aloud',
    'audio.stopLabel': 'Stop the narration',
    'audio.captions': 'Captions of the narration',
    'audio.progress': 'Narration progress',
    'audio.mute': 'Mute sound',
    'audio.unmute': 'Turn sound on',
    'audio.error.narration-audio': 'Sorry, the narration could not be played.',
    'audio.error.narration-captions': 'Sorry, the narration’s captions could not be loaded.',
  },
  ru: {
    'audio.listen': 'Слушать',
    'audio.stop': 'Остановить',
    'audio.listenLabel': 'Слушать эту главу вслух',
    'audio.stopLabel': 'Остановить чтение',
    'audio.captions': 'Субтитры к озвучиванию',
    'audio.progress': 'Ход чтения',
    'audio.mute': 'Выключить звук',
    'audio.unmute': 'Включить звук',
    'audio.error.narration-audio': 'К сожалению, озвучивание не удалось воспроизвести.',
    'audio.error.narration-captions': 'К сожалению, не удалось загрузить субтитры.',
  },
} satisfies Dictionary;

addStrings(audio);

export default audio;
