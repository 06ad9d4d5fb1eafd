/**
 * The visitor's access modes: large text, high contrast, reduced motion and
 * the audio guide. Each mode is a class on `<html>` (`large-text`,
 * `high-contrast`, `reduced-motion`, `audio-guide`) so every part's CSS can
 * respond to it without importing anything; `src/styles/modes.css` holds the
 * shared rules. Reduced motion starts from the system's
 * `prefers-reduced-motion` and the visitor can toggle it. Every mode returns
 * to its default at the kiosk's idle reset.
 *
 * The audio guide reads the current screen aloud on demand through a
 * {@link SpeechEngine}; what it reads is kept in {@link AccessState.spoken} so
 * it can be shown on screen (a live region) whether or not a voice exists.
 */
import type { IdleHold } from '../idle.js';
import type { SpeechEngine } from './speech';

/**
 * The browser's speech engine (`speech.ts`), loaded on the first request to
 * speak: only audio-guide users ever make one, so it stays out of the first
 * paint. A cancel while it loads wins, as it would once loaded.
 */
export function lazyWebSpeech(
  load: () => Promise<{ webSpeech: () => SpeechEngine }> = () => import('./speech'),
): SpeechEngine {
  let engine: SpeechEngine | undefined;
  let cancels = 0;
  return {
    async speak(req) {
      const asked = cancels;
      engine ??= (await load()).webSpeech();
      return asked === cancels ? engine.speak(req) : 'cancelled';
    },
    cancel() {
      cancels += 1;
      engine?.cancel();
    },
  };
}

/** The modes a visitor can switch. */
export type AccessMode = 'largeText' | 'highContrast' | 'reducedMotion' | 'audioGuide';

/** The `<html>` class for each mode. */
const MODE_CLASSES: Readonly<Record<AccessMode, string>> = Object.freeze({
  largeText: 'large-text',
  highContrast: 'high-contrast',
  reducedMotion: 'reduced-motion',
  audioGuide: 'audio-guide',
});

/** Every mode, in the order the menu lists them. */
export const ACCESS_MODES: readonly AccessMode[] = [
  'largeText',
  'highContrast',
  'reducedMotion',
  'audioGuide',
];

/**
 * What the audio guide is doing: `preparing` (finding a voice), `speaking`,
 * `unavailable` (no synthesiser or no voice in this language: the text is
 * shown instead), `muted` (the visitor or staff turned sound off: text shown),
 * or `idle`.
 */
export type GuideStatus = 'idle' | 'preparing' | 'speaking' | 'unavailable' | 'muted';

/** The element whose classes carry the modes (normally `<html>`). */
export interface ClassRoot {
  classList: Pick<DOMTokenList, 'toggle'>;
}

/** The system's reduced-motion preference, as `matchMedia` gives it. */
export interface MotionQuery {
  readonly matches: boolean;
  addEventListener?(type: 'change', fn: (e: { matches: boolean }) => void): void;
}

/** The audio service, as far as the guide needs it: one voice at a time, staff volume, mute. */
export interface VoiceOwner {
  /** Volume for speech, 0..1, already 0 when muted. */
  volume(): number;
  /** Stops any chapter narration, so two voices never talk at once. */
  stopNarration(): void;
}

/** Construction options; all default to the browser's. */
export interface AccessOptions {
  root?: ClassRoot;
  engine?: SpeechEngine;
  motionQuery?: MotionQuery;
  /** Schedules the safety release of a stuck guide; defaults to `setTimeout`. */
  setTimer?: (fn: () => void, ms: number) => () => void;
}

const IDLE_REASON = 'audio-guide';

/** Reactive access modes and the audio guide. */
export class AccessState {
  largeText = $state(false);
  highContrast = $state(false);
  reducedMotion = $state(false);
  audioGuide = $state(false);
  /** The access panel is open. */
  menuOpen = $state(false);
  /** What the guide is reading (or would read, when it cannot speak), piece by piece. */
  spoken = $state.raw<readonly string[]>([]);
  status = $state<GuideStatus>('idle');

  #root: ClassRoot | undefined;
  #engine: SpeechEngine;
  #systemReduced: boolean;
  #idle: IdleHold | undefined;
  #voice: VoiceOwner | undefined;
  #held = false;
  #generation = 0;
  #setTimer: (fn: () => void, ms: number) => () => void;
  #clearSafety: (() => void) | undefined;

  constructor(options: AccessOptions = {}) {
    this.#root = options.root;
    this.#engine = options.engine ?? lazyWebSpeech();
    this.#setTimer =
      options.setTimer ??
      ((fn, ms) => {
        const id = setTimeout(fn, ms);
        return () => clearTimeout(id);
      });
    const mq = options.motionQuery;
    this.#systemReduced = mq?.matches ?? false;
    this.reducedMotion = this.#systemReduced;
    mq?.addEventListener?.('change', (e) => {
      // Staff changed the system setting: follow it unless a visitor has chosen otherwise.
      const followed = this.reducedMotion === this.#systemReduced;
      this.#systemReduced = e.matches;
      if (followed) this.set('reducedMotion', e.matches);
    });
    this.#sync();
  }

  /** The reduced-motion setting a new visitor starts with (the system's). */
  get defaultReducedMotion(): boolean {
    return this.#systemReduced;
  }

  /** Whether any mode differs from what a new visitor gets. */
  get changed(): boolean {
    return (
      this.largeText || this.highContrast || this.audioGuide || this.reducedMotion !== this.#systemReduced
    );
  }

  /** Switches `mode` on or off and updates the `<html>` classes at once. */
  set(mode: AccessMode, on: boolean): void {
    this[mode] = on;
    if (mode === 'audioGuide' && !on) this.stopReading();
    this.#sync();
  }

  toggle(mode: AccessMode): void {
    this.set(mode, !this[mode]);
  }

  /** Every mode back to the default, the panel closed and the guide silent: what reset does. */
  reset(): void {
    this.stopReading();
    this.largeText = false;
    this.highContrast = false;
    this.reducedMotion = this.#systemReduced;
    this.audioGuide = false;
    this.menuOpen = false;
    this.#sync();
  }

  /**
   * Reads `parts` aloud in `lang`, replacing anything being read. The text is
   * published in {@link spoken} first, so it is on screen even when the kiosk
   * is muted or has no voice; narration is stopped so only one voice talks;
   * the idle timer is held only while speech is actually audible.
   */
  async read(parts: readonly string[], lang: string): Promise<void> {
    this.stopReading();
    const generation = this.#generation;
    this.spoken = parts;
    this.#voice?.stopNarration();
    const volume = this.#voice ? this.#voice.volume() : 1;
    if (volume <= 0) {
      this.status = 'muted';
      return;
    }
    this.status = 'preparing';
    const outcome = await this.#engine.speak({
      parts,
      lang,
      volume,
      onStart: () => {
        if (generation !== this.#generation) return;
        this.status = 'speaking';
        this.#hold(parts);
      },
    });
    if (generation !== this.#generation) return;
    this.#release();
    if (outcome === 'unavailable') {
      this.status = 'unavailable';
    } else {
      this.status = 'idle';
      this.spoken = [];
    }
  }

  /** Stops reading and clears the guide's text. */
  stopReading(): void {
    this.#generation += 1;
    this.#engine.cancel();
    this.#release();
    this.status = 'idle';
    this.spoken = [];
  }

  /**
   * Connects the modes to the kiosk: its reset hook, the idle timer and the
   * audio service. Returns a function that undoes it.
   */
  connect(kiosk: { onReset(hook: () => void): () => void }, idle?: IdleHold, voice?: VoiceOwner): () => void {
    this.#idle = idle;
    this.#voice = voice;
    const off = kiosk.onReset(() => this.reset());
    return () => {
      off();
      this.stopReading();
      this.#idle = undefined;
      this.#voice = undefined;
    };
  }

  #hold(parts: readonly string[]): void {
    if (this.#held) return;
    this.#held = true;
    this.#idle?.hold(IDLE_REASON);
    // A synthesiser that never reports its end must not keep the kiosk from resetting for ever:
    // allow generously for slow speech (about 12 characters a second), then give up.
    const chars = parts.reduce((n, s) => n + s.length, 0);
    const generation = this.#generation;
    this.#clearSafety = this.#setTimer(
      () => {
        if (generation === this.#generation) this.stopReading();
      },
      30_000 + (chars / 12) * 1500,
    );
  }

  #release(): void {
    this.#clearSafety?.();
    this.#clearSafety = undefined;
    if (!this.#held) return;
    this.#held = false;
    this.#idle?.release(IDLE_REASON);
  }

  #sync(): void {
    if (!this.#root) return;
    for (const mode of ACCESS_MODES) this.#root.classList.toggle(MODE_CLASSES[mode], this[mode]);
  }
}

const browser = typeof document !== 'undefined';

/** The kiosk's one access state, on `<html>` and the browser's speech synthesiser. */
export const access = new AccessState(
  browser
    ? {
        root: document.documentElement,
        motionQuery:
          typeof matchMedia === 'function' ? matchMedia('(prefers-reduced-motion: reduce)') : undefined,
      }
    : {},
);

/**
 * Whether motion should be left out right now: for components that animate
 * from script (Svelte transitions, count-ups), which CSS cannot stop.
 */
function motionReduced(): boolean {
  return access.reducedMotion;
}

/**
 * Test hook: Playwright reads and sets modes through `window.__vitrineAccess`
 * (e.g. to check the attract loop in a mode, which a visitor only reaches by
 * the system's reduced-motion setting, because opening the menu leaves it).
 */
if (browser) (globalThis as { __vitrineAccess?: AccessState }).__vitrineAccess = access;
