/**
 * The kiosk's one audio service, on Howler.
 *
 * Howls live only in this class's private fields, never in reactive state: Svelte would
 * otherwise proxy them, and a kiosk running for months must be able to account for every
 * one. What the UI needs to know is pushed out as a small {@link AudioStatus} snapshot.
 *
 * Budget: one Howl per UI sound (each capped at a few concurrent voices), at most one
 * narration Howl (unloaded when it ends or is stopped) and at most one ambient Howl.
 */
import { Howl, Howler } from 'howler';
import type { IdleHold } from '../idle.js';
import { captionAt, parseCaptions, type Caption } from './captions.js';

/** The short interface sounds. */
export type UiSound = 'tap' | 'turn';

/** Staff limits, as in the exhibit's `settings.audio`. */
export interface AudioLimits {
  /** Loudest any sound may play, 0..1. */
  maxVolume: number;
  /** Whether tap and chapter-turn sounds play at all. */
  uiSounds: boolean;
  /** Whether the ambient bed plays during the attract loop. */
  ambient: boolean;
}

/** The defaults restored at every reset, matching the content schema's defaults. */
export const DEFAULT_LIMITS: Readonly<AudioLimits> = Object.freeze({
  maxVolume: 0.8,
  uiSounds: true,
  ambient: false,
});

/** What the UI shows about audio; a fresh object on every change. */
export interface AudioStatus {
  /** Narration is audible now. */
  playing: boolean;
  /** Narration was asked for and its audio or captions are still loading. */
  loading: boolean;
  /** The visitor has muted the kiosk. */
  muted: boolean;
  /** Which narration is loaded (`chapterId:lang`), or null. */
  narration: string | null;
  /** The caption for the current moment of narration, or '' between sentences. */
  cue: string;
  /** Seconds into the narration. */
  position: number;
  /** Length of the narration in seconds, 0 until known. */
  duration: number;
  /** A short, visitor-safe description of the last failure, or null. */
  error: string | null;
}

/** One narration to play. */
export interface NarrationRequest {
  /** Identifies the narration, e.g. `"yalta:en"`; used to tell which chapter is playing. */
  key: string;
  /** URL of the audio file (Ogg Vorbis or Opus). */
  audio: string;
  /** URL of its WebVTT captions. */
  captions: string;
  /** Language of the narration, so a language switch can stop it. */
  lang: string;
}

/** Construction options; every one has a default suited to the kiosk. */
export interface AudioServiceOptions {
  /** URLs of the UI sounds and of the optional ambient bed. */
  sounds?: Partial<Record<UiSound | 'ambient', string>>;
  /** Most voices one UI sound may have playing at once; the oldest is cut for a new one. */
  maxUiVoices?: number;
  /** Called with a new status snapshot whenever something a visitor could notice changes. */
  onStatus?: (status: AudioStatus) => void;
  /** The idle timer; held while narration plays. */
  idle?: IdleHold;
  /** Fetches captions text; defaults to `fetch`. */
  fetchText?: (url: string) => Promise<string>;
  /** How often, in ms, the caption follows the narration. */
  cueIntervalMs?: number;
  /** Stream narration through an HTML audio element (true) or decode it whole (false). */
  streamNarration?: boolean;
}

/** Relative loudness of each kind of sound, before the staff limit is applied. */
const LEVELS = { ui: 0.35, narration: 1, ambient: 0.2 } as const;
const IDLE_REASON = 'narration';
/** How long a playback failure stays on screen. */
const ERROR_MS = 6000;

const defaultFetchText = async (url: string): Promise<string> => {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`captions ${url}: HTTP ${res.status}`);
  return res.text();
};

const clamp01 = (v: number): number => (Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0);

/** The narration currently owned by the service. */
interface NarrationSlot {
  request: NarrationRequest;
  howl: Howl | null;
  captions: Caption[];
  timer: ReturnType<typeof setInterval> | null;
  held: boolean;
  /** Ends the wait in {@link AudioService.playNarration}, however playback ends. */
  settle: () => void;
}

/**
 * Plays every sound the kiosk makes. Create one per page; call {@link AudioService.reset}
 * at idle reset and {@link AudioService.dispose} when the page goes away.
 */
export class AudioService {
  readonly #sounds: Partial<Record<UiSound | 'ambient', string>>;
  readonly #maxUiVoices: number;
  readonly #onStatus: (status: AudioStatus) => void;
  readonly #fetchText: (url: string) => Promise<string>;
  readonly #cueIntervalMs: number;
  readonly #streamNarration: boolean;
  #idle: IdleHold | undefined;

  /** One Howl per UI sound, created on first use and reused. */
  readonly #ui = new Map<UiSound, Howl>();
  /** Sound ids of each UI Howl's voices that have not ended yet, oldest first. */
  readonly #uiVoices = new Map<UiSound, number[]>();
  #ambient: Howl | null = null;
  #narration: NarrationSlot | null = null;
  /** Bumped whenever narration is stopped, so a slow load can tell it was superseded. */
  #generation = 0;
  #errorTimer: ReturnType<typeof setTimeout> | undefined;

  #limits: AudioLimits = { ...DEFAULT_LIMITS };
  #muted = false;
  #status: AudioStatus = {
    playing: false,
    loading: false,
    muted: false,
    narration: null,
    cue: '',
    position: 0,
    duration: 0,
    error: null,
  };

  constructor(options: AudioServiceOptions = {}) {
    this.#sounds = { ...options.sounds };
    this.#maxUiVoices = Math.max(1, options.maxUiVoices ?? 3);
    this.#onStatus = options.onStatus ?? (() => {});
    this.#idle = options.idle;
    this.#fetchText = options.fetchText ?? defaultFetchText;
    this.#cueIntervalMs = options.cueIntervalMs ?? 100;
    this.#streamNarration = options.streamNarration ?? true;
  }

  /** How many Howls exist in the whole page (Howler's own registry); for tests and the staff panel. */
  static liveHowls(): number {
    return (Howler as unknown as { _howls: unknown[] })._howls.length;
  }

  /** The latest status snapshot. */
  get status(): AudioStatus {
    return this.#status;
  }

  /** The limits in force. */
  get limits(): Readonly<AudioLimits> {
    return this.#limits;
  }

  /** Attach (or replace) the idle timer once the renderer has one. */
  connectIdle(idle: IdleHold | undefined): void {
    if (this.#idle && this.#narration?.held) this.#idle.release(IDLE_REASON);
    this.#idle = idle;
    if (idle && this.#narration?.held) idle.hold(IDLE_REASON);
  }

  /**
   * Apply the exhibit's `settings.audio`. A lower `maxVolume` takes effect on sounds already
   * playing; turning `ambient` off stops the bed.
   */
  configure(limits: Partial<AudioLimits>): void {
    const next: AudioLimits = { ...this.#limits };
    if (limits.maxVolume !== undefined) next.maxVolume = clamp01(limits.maxVolume);
    if (limits.uiSounds !== undefined) next.uiSounds = limits.uiSounds;
    if (limits.ambient !== undefined) next.ambient = limits.ambient;
    this.#limits = next;
    this.#applyVolumes();
    if (!next.ambient) this.stopAmbient();
    if (!next.uiSounds) for (const howl of this.#ui.values()) howl.stop();
  }

  /**
   * The volume a kind of sound actually plays at: its relative level times the staff limit,
   * or 0 when muted. Never above `maxVolume`.
   */
  effectiveVolume(kind: 'ui' | 'narration' | 'ambient'): number {
    if (this.#muted) return 0;
    return clamp01(LEVELS[kind] * this.#limits.maxVolume);
  }

  /** Mute or unmute everything (the visitor's mute toggle and the staff panel's). */
  setMuted(muted: boolean): void {
    this.#muted = muted;
    Howler.mute(muted);
    this.#emit({ muted });
  }

  /** Play a short interface sound, if staff allow them. */
  playUi(name: UiSound): void {
    if (!this.#limits.uiSounds || this.#muted) return;
    const howl = this.#uiHowl(name);
    // A click that arrives late is worse than none: until the sound has loaded, stay silent.
    if (!howl || howl.state() !== 'loaded') return;
    const voices = this.#uiVoices.get(name)!;
    while (voices.length >= this.#maxUiVoices) {
      const oldest = voices.shift();
      if (oldest !== undefined) howl.stop(oldest);
    }
    const id = howl.play();
    if (typeof id === 'number') {
      voices.push(id);
      howl.volume(this.effectiveVolume('ui'), id);
    }
  }

  /**
   * Whether a visitor is here. While one is, the audio context stays awake: Howler suspends it
   * after 30 s of silence and holds back a sound asked for then until it wakes, so a tap after a
   * long read would click late. Between visits it sleeps again (see {@link reset}).
   */
  setVisitorPresent(present: boolean): void {
    Howler.autoSuspend = !present;
  }

  /** Load the UI sounds now, so the first tap is heard. */
  preloadUi(): void {
    this.#uiHowl('tap');
    this.#uiHowl('turn');
  }

  /** Start the attract loop's ambient bed, if staff turned it on and a bed is bundled. */
  startAmbient(): void {
    const src = this.#sounds.ambient;
    if (!this.#limits.ambient || !src || this.#ambient) return;
    this.#ambient = new Howl({
      src: [src],
      loop: true,
      volume: this.effectiveVolume('ambient'),
      onloaderror: () => this.stopAmbient(),
      onplayerror: () => this.stopAmbient(),
    });
    this.#ambient.play();
  }

  /** Stop and unload the ambient bed. */
  stopAmbient(): void {
    const howl = this.#ambient;
    this.#ambient = null;
    if (howl) {
      howl.stop();
      howl.unload();
    }
  }

  /**
   * Play a chapter's narration with its captions, replacing any narration already playing.
   * Resolves once playback has started (or failed, reported in the status's `error`).
   */
  async playNarration(request: NarrationRequest): Promise<void> {
    this.stopNarration();
    this.stopAmbient();
    const generation = this.#generation;
    const slot: NarrationSlot = {
      request,
      howl: null,
      captions: [],
      timer: null,
      held: false,
      settle: () => {},
    };
    this.#narration = slot;
    this.#emit({
      loading: true,
      playing: false,
      narration: request.key,
      cue: '',
      position: 0,
      duration: 0,
      error: null,
    });

    let captions: Caption[];
    try {
      captions = await parseCaptions(await this.#fetchText(request.captions));
    } catch {
      if (generation === this.#generation) this.#fail('captions');
      return;
    }
    if (generation !== this.#generation) return;
    slot.captions = captions;

    await new Promise<void>((resolve) => {
      slot.settle = resolve;
      const howl = new Howl({
        src: [request.audio],
        html5: this.#streamNarration,
        volume: this.effectiveVolume('narration'),
        preload: true,
        onplay: () => {
          if (this.#narration !== slot) return;
          this.#hold(slot);
          this.#startCueTimer(slot);
          this.#emit({ loading: false, playing: true, duration: howl.duration() || 0 });
          resolve();
        },
        onend: () => {
          if (this.#narration === slot) this.stopNarration();
        },
        onloaderror: () => {
          if (this.#narration === slot) this.#fail('audio');
          resolve();
        },
        onplayerror: () => {
          if (this.#narration === slot) this.#fail('audio');
          resolve();
        },
      });
      slot.howl = howl;
      howl.play();
    });
  }

  /** Stop narration, unload its Howl, clear the caption and let the idle timer run again. */
  stopNarration(): void {
    this.#generation++;
    const slot = this.#narration;
    this.#narration = null;
    if (!slot) return;
    if (slot.timer !== null) clearInterval(slot.timer);
    slot.timer = null;
    this.#release(slot);
    slot.settle();
    if (slot.howl) {
      const howl = slot.howl;
      slot.howl = null;
      howl.stop();
      howl.unload();
    }
    this.#emit({ playing: false, loading: false, narration: null, cue: '', position: 0, duration: 0 });
  }

  /** Tell the service the visitor's language; narration in another language stops at once. */
  languageChanged(lang: string): void {
    if (this.#narration && this.#narration.request.lang !== lang) this.stopNarration();
  }

  /**
   * Back to a fresh visit: stop and unload every Howl, restore default limits, and unmute
   * unless `muted` (staff muted the kiosk, which outlasts visits). A visit reset hook.
   */
  reset(limits: Partial<AudioLimits> = {}, muted = false): void {
    this.stopNarration();
    this.stopAmbient();
    for (const howl of this.#ui.values()) {
      howl.stop();
      howl.unload();
    }
    this.#ui.clear();
    this.#uiVoices.clear();
    // A fresh audio context for the next visit, which Howler lets sleep after 30 s of the loop.
    Howler.autoSuspend = true;
    Howler.unload();
    this.#limits = { ...DEFAULT_LIMITS };
    this.configure(limits);
    this.setMuted(muted);
    clearTimeout(this.#errorTimer);
    this.#emit({ error: null });
  }

  /** Unload everything for good (page teardown, tests). */
  dispose(): void {
    this.reset();
    this.#idle = undefined;
  }

  #uiHowl(name: UiSound): Howl | null {
    let howl = this.#ui.get(name);
    if (howl) return howl;
    const src = this.#sounds[name];
    if (!src) return null;
    const voices: number[] = [];
    const done = (id: number): void => {
      const at = voices.indexOf(id);
      if (at >= 0) voices.splice(at, 1);
    };
    howl = new Howl({
      src: [src],
      // Howler keeps this many finished voices for reuse; more are dropped, so memory is bounded.
      pool: this.#maxUiVoices,
      volume: this.effectiveVolume('ui'),
      onend: done,
      onstop: done,
    });
    this.#ui.set(name, howl);
    this.#uiVoices.set(name, voices);
    return howl;
  }

  #applyVolumes(): void {
    for (const howl of this.#ui.values()) howl.volume(this.effectiveVolume('ui'));
    this.#ambient?.volume(this.effectiveVolume('ambient'));
    this.#narration?.howl?.volume(this.effectiveVolume('narration'));
  }

  #startCueTimer(slot: NarrationSlot): void {
    if (slot.timer !== null) return;
    const tick = (): void => {
      const howl = slot.howl;
      if (!howl || this.#narration !== slot) return;
      const seek = howl.seek();
      const position = typeof seek === 'number' && Number.isFinite(seek) ? seek : 0;
      const cue = captionAt(slot.captions, position)?.text ?? '';
      const duration = howl.duration() || this.#status.duration;
      if (
        cue !== this.#status.cue ||
        Math.abs(position - this.#status.position) >= 0.25 ||
        duration !== this.#status.duration
      ) {
        this.#emit({ cue, position, duration });
      }
    };
    tick();
    slot.timer = setInterval(tick, this.#cueIntervalMs);
  }

  #hold(slot: NarrationSlot): void {
    if (slot.held) return;
    slot.held = true;
    this.#idle?.hold(IDLE_REASON);
  }

  #release(slot: NarrationSlot): void {
    if (!slot.held) return;
    slot.held = false;
    this.#idle?.release(IDLE_REASON);
  }

  #fail(what: 'audio' | 'captions'): void {
    this.stopNarration();
    const error = what === 'audio' ? 'narration-audio' : 'narration-captions';
    this.#emit({ error });
    // The apology is shown for a few seconds, then the screen is the visitor's again.
    clearTimeout(this.#errorTimer);
    this.#errorTimer = setTimeout(() => {
      if (this.#status.error === error) this.#emit({ error: null });
    }, ERROR_MS);
  }

  #emit(patch: Partial<AudioStatus>): void {
    this.#status = { ...this.#status, ...patch };
    this.#onStatus(this.#status);
  }
}
