/**
 * The reactive face of the audio service: a handful of `$state` fields the UI reads
 * (playing, muted, current caption, position). The Howls stay inside {@link AudioService}.
 *
 * {@link AudioState.connect} wires it to the visit once the app has loaded it, so screens need
 * only mount the Listen control and caption bar: reset stops everything (keeping a staff mute),
 * a language switch or leaving the chapter stops narration, the idle timer is held while
 * narration plays, taps and chapter turns click softly, and the ambient bed (if staff turned it
 * on) plays under the attract loop.
 */
import type { Chapter, Settings } from '../../../main/contract/exhibit.js';
import type { IdleHold } from '../idle.js';
import { afterNextFrame } from '../next-frame.js';
import { PRESSED_EVENT } from '../pointer.js';
import { AudioService, type AudioServiceOptions, type AudioStatus } from './audio-service.js';
import tapUrl from '../../../assets/sounds/tap.ogg';
import turnUrl from '../../../assets/sounds/turn.ogg';
import ambientUrl from '../../../assets/sounds/ambient.ogg';

/** Turns an exhibit media path (`media/...`) into the URL the host serves it at. */
const mediaUrl = (path: string): string => `/${path}`;

/** What {@link AudioState.connect} needs from the visit: its reset hooks and the staff mute. */
export interface VisitLike {
  onReset(hook: () => void): () => void;
  onStaffMute(listener: (muted: boolean) => void): () => void;
  readonly staffMuted: boolean;
}

/** What {@link AudioState.connect} needs from the visitor state. */
export interface KioskLike {
  readonly lang: string;
  readonly screen: string;
  readonly chapter: number;
}

/** Where the exhibit's audio settings come from. */
export interface ContentLike {
  readonly exhibit: { settings: Pick<Settings, 'audio'> } | null;
}

/** Reactive audio status plus the one {@link AudioService}. */
export class AudioState {
  /** Narration is audible. */
  playing = $state(false);
  /** Narration was asked for and is loading. */
  loading = $state(false);
  /** The visitor (or staff) muted the kiosk. */
  muted = $state(false);
  /** The caption for this moment of narration. */
  cue = $state('');
  /** Seconds into the narration, and its length. */
  position = $state(0);
  duration = $state(0);
  /** `chapterId:lang` of the loaded narration, or null. */
  narration = $state<string | null>(null);
  /** Last failure, as an i18n key suffix, or null. */
  error = $state<string | null>(null);

  /** The service itself; not reactive, so Howler's objects are never proxied. */
  readonly service: AudioService;
  /** Which chapter (index) the narration belongs to, so leaving it stops the voice. */
  #chapterIndex = -1;

  constructor(options: Omit<AudioServiceOptions, 'onStatus'> = {}) {
    this.service = new AudioService({ ...options, onStatus: (s) => this.#apply(s) });
  }

  /** Plays (or, if this chapter's narration is playing, stops) a chapter's narration in `lang`. */
  toggle(chapter: Pick<Chapter, 'id' | 'narration'>, lang: string, chapterIndex = -1): void {
    const key = `${chapter.id}:${lang}`;
    if (this.narration === key) {
      this.service.stopNarration();
      return;
    }
    const entry = chapter.narration?.[lang];
    if (!entry) return;
    this.#chapterIndex = chapterIndex;
    void this.service.playNarration({
      key,
      lang,
      audio: mediaUrl(entry.audio),
      captions: mediaUrl(entry.captions),
    });
  }

  /** Stops narration (e.g. when the chapter is left). */
  stop(): void {
    this.service.stopNarration();
  }

  /** The visitor's mute toggle. */
  toggleMute(): void {
    this.service.setMuted(!this.muted);
  }

  /**
   * Connects the service to the visit and the kiosk: reset hook, staff mute, idle hold, language
   * and chapter watching, UI sounds and ambient bed. Returns a function that undoes all of it.
   */
  connect(visit: VisitLike, kiosk: KioskLike, idle: IdleHold, content?: ContentLike): () => void {
    this.service.connectIdle(idle);
    const offReset = visit.onReset(() =>
      this.service.reset(content?.exhibit?.settings.audio ?? {}, visit.staffMuted),
    );
    const offMute = visit.onStaffMute((on) => this.service.setMuted(on));
    const stopEffects = $effect.root(() => {
      $effect(() => {
        const limits = content?.exhibit?.settings.audio;
        if (limits) this.service.configure(limits);
      });
      $effect(() => {
        this.service.languageChanged(kiosk.lang);
      });
      let lastChapter = kiosk.chapter;
      let lastScreen = kiosk.screen;
      $effect(() => {
        const { screen, chapter } = kiosk;
        const onChapter = screen === 'chapter' || screen === 'viewer';
        if (this.narration && (!onChapter || (this.#chapterIndex >= 0 && chapter !== this.#chapterIndex))) {
          this.service.stopNarration();
        }
        // Only a page turned within the chapters sounds like one: opening a chapter from Home is
        // the card's press, whichever chapter was open before.
        if (screen === 'chapter' && lastScreen === 'chapter' && chapter !== lastChapter) {
          // The turn's sound starts with the page's first frame of motion: played in the turn's
          // own task, it held that frame back.
          afterNextFrame(() => {
            if (kiosk.screen === 'chapter') this.service.playUi('turn');
          });
        }
        lastChapter = chapter;
        lastScreen = screen;
      });
      $effect(() => {
        // Reading limits here makes the bed follow the staff switch as well as the screen.
        void content?.exhibit?.settings.audio.ambient;
        const attract = kiosk.screen === 'attract';
        this.service.setVisitorPresent(!attract);
        if (attract) this.service.startAmbient();
        else this.service.stopAmbient();
      });
    });
    const onTap = (e: Event): void => {
      const target = e.target instanceof Element ? e.target : null;
      if (target?.closest('button, a[href], [role="button"], [role="tab"]')) this.service.playUi('tap');
    };
    // A touch begins ~100 ms before its click: time enough to load the tiny UI sounds, which
    // reset unloads, so the first tap of every visit is heard.
    const onTouch = (): void => {
      if (content?.exhibit?.settings.audio.uiSounds !== false) this.service.preloadUi();
    };
    document.addEventListener('pointerdown', onTouch, true);
    document.addEventListener('click', onTap, true);
    // Controls that act on the lift swallow their click and send this instead.
    document.addEventListener(PRESSED_EVENT, onTap, true);
    return () => {
      offReset();
      offMute();
      stopEffects();
      document.removeEventListener('pointerdown', onTouch, true);
      document.removeEventListener('click', onTap, true);
      document.removeEventListener(PRESSED_EVENT, onTap, true);
      this.service.connectIdle(undefined);
    };
  }

  #apply(s: AudioStatus): void {
    this.playing = s.playing;
    this.loading = s.loading;
    this.muted = s.muted;
    this.cue = s.cue;
    this.position = s.position;
    this.duration = s.duration;
    this.narration = s.narration;
    this.error = s.error;
  }
}

/** The kiosk's one audio state, with the bundled interface sounds (connected by the app). */
export const audio = new AudioState({ sounds: { tap: tapUrl, turn: turnUrl, ambient: ambientUrl } });
