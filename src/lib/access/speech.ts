/**
 * Speaking text aloud for the audio guide, on the browser's Web Speech API
 * (`speechSynthesis`). Narration files go through Howler in the audio
 * service; the guide reads whatever is on screen, which has no recording, so
 * it needs a synthesiser instead.
 *
 * The engine is an interface so the access state can be tested with a fake,
 * and so a kiosk without voices (headless Chromium, a Linux box without
 * speech-dispatcher) says so rather than pretending to speak.
 */

/** How one request to speak ended. */
export type SpeechOutcome = 'done' | 'cancelled' | 'unavailable';

/** What the engine needs to say something. */
export interface SpeakRequest {
  /** The text, in pieces read one after another (a short pause between). */
  parts: readonly string[];
  /** BCP 47 language of the text, e.g. `en` or `ru`. */
  lang: string;
  /** 0..1, already limited by staff and by mute. */
  volume: number;
  /** Called once when speech has actually begun. */
  onStart?: () => void;
}

/** A text-to-speech engine. */
export interface SpeechEngine {
  /** Speaks `req`; resolves once it has ended, been cancelled, or cannot be spoken. */
  speak(req: SpeakRequest): Promise<SpeechOutcome>;
  /** Stops anything being spoken; the pending `speak` resolves `cancelled`. */
  cancel(): void;
}

/** The subset of `window` the Web Speech engine uses. */
export interface SpeechHost {
  speechSynthesis?: SpeechSynthesis;
  SpeechSynthesisUtterance?: typeof SpeechSynthesisUtterance;
}

/** How long to wait for the voice list, which Chromium fills in asynchronously. */
const VOICES_WAIT_MS = 1500;

/** Picks the voice for `lang`: a local voice in that language first, then any voice in it. */
function pickVoice(voices: readonly SpeechSynthesisVoice[], lang: string): SpeechSynthesisVoice | undefined {
  const base = lang.toLowerCase().split('-')[0]!;
  const inLang = voices.filter((v) => v.lang.toLowerCase().replace('_', '-').split('-')[0] === base);
  return inLang.find((v) => v.localService) ?? inLang[0];
}

/**
 * The Web Speech engine, or an engine that always answers `unavailable`
 * when the host has no `speechSynthesis`.
 */
export function webSpeech(host: SpeechHost = globalThis as SpeechHost): SpeechEngine {
  const maybeSynth = host.speechSynthesis;
  const Utterance = host.SpeechSynthesisUtterance;
  if (!maybeSynth || !Utterance) {
    return { speak: () => Promise.resolve('unavailable'), cancel: () => {} };
  }
  const synth: SpeechSynthesis = maybeSynth;

  let finish: ((o: SpeechOutcome) => void) | null = null;

  const voices = async (): Promise<SpeechSynthesisVoice[]> => {
    const now = synth.getVoices();
    if (now.length > 0) return now;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, VOICES_WAIT_MS);
      function done() {
        clearTimeout(timer);
        synth.removeEventListener?.('voiceschanged', done);
        resolve();
      }
      synth.addEventListener?.('voiceschanged', done);
    });
    return synth.getVoices();
  };

  const cancel = (): void => {
    const f = finish;
    finish = null;
    synth.cancel();
    f?.('cancelled');
  };

  return {
    cancel,
    async speak(req) {
      cancel();
      let settle!: (o: SpeechOutcome) => void;
      const outcome = new Promise<SpeechOutcome>((r) => (settle = r));
      finish = settle;
      const voice = pickVoice(await voices(), req.lang);
      // Cancelled while the voices loaded, or a newer request took over.
      if (finish !== settle) return outcome;
      // Without a voice in the visitor's language a synthesiser would read Russian with an
      // English voice (or say nothing at all): better to say plainly that it cannot.
      if (!voice) {
        finish = null;
        return 'unavailable';
      }
      const parts = req.parts.filter((p) => p.trim() !== '');
      let started = false;
      parts.forEach((text, i) => {
        const u = new Utterance(text);
        u.voice = voice;
        u.lang = voice.lang;
        u.volume = req.volume;
        u.rate = 0.95;
        u.onstart = () => {
          if (!started) req.onStart?.();
          started = true;
        };
        u.onerror = (e) => {
          if (finish !== settle) return;
          finish = null;
          synth.cancel();
          settle(e.error === 'canceled' || e.error === 'interrupted' ? 'cancelled' : 'unavailable');
        };
        if (i === parts.length - 1) {
          u.onend = () => {
            if (finish !== settle) return;
            finish = null;
            settle('done');
          };
        }
        synth.speak(u);
      });
      if (parts.length === 0) {
        finish = null;
        settle('done');
      }
      return outcome;
    },
  };
}
