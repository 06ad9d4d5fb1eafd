/**
 * One visit's lifetime, in one place: while a visitor explores, the idle timer runs; after the
 * idle time it warns ("Still there?"), and when the countdown runs out the kiosk resets for the
 * next visitor. Every part that keeps something of a visitor (audio, access modes, ...) registers
 * a reset hook here; announced content waits here for the reset, so a new version never replaces
 * the screen mid-visit; and a staff mute, which outlasts visits, is kept here for the reset to respect.
 */
import type { Exhibit } from '../../main/contract/exhibit.js';
import { idle, type IdleWatch } from './idle.svelte';
import { kiosk, type Kiosk } from './kiosk.svelte';

/** Why a visit ended: the visitor walked away (the countdown ran out), or chose "Start over". */
export type ResetReason = 'idle' | 'start-over';

/** A callback run at every reset, in the order registered: puts one part back for the next visitor. */
export type ResetHook = (why: ResetReason) => void;

/** How announced content versions reach the screen; the staff layer passes its own. */
export interface UpdatePolicy {
  /** Show each announced version at once, even mid-visit (the editors' preview). */
  readonly immediate: boolean;
  /** Applies `version`; `load` fetches it and puts it on screen. */
  apply(version: string, load: () => Promise<void>): Promise<void>;
}

/** The visitors' policy: a version waits for the next reset (or shows at once on the attract loop). */
const AT_RESET: UpdatePolicy = Object.freeze({
  immediate: false,
  apply: (_version: string, load: () => Promise<void>) => load(),
});

/** Where the exhibit (and with it the idle timing) comes from. */
export interface ExhibitSource {
  readonly exhibit: Exhibit | null;
}

/** The visit: idle → countdown → reset, the reset hooks, waiting content and the staff mute. */
export class Visit {
  /** The content version waiting for the next reset, or null. */
  waiting = $state<string | null>(null);
  /** Staff muted the kiosk: outlasts every visit, so each reset keeps it. */
  staffMuted = $state(false);

  readonly #kiosk: Kiosk;
  readonly #idle: IdleWatch;
  // An array, not a set: hooks run in the order they were registered.
  #hooks: ResetHook[] = [];
  #muteListeners: ((muted: boolean) => void)[] = [];
  #policies: UpdatePolicy[] = [];
  #pending: { version: string; load: () => Promise<void> } | null = null;

  constructor(kiosk: Kiosk, idle: IdleWatch) {
    this.#kiosk = kiosk;
    this.#idle = idle;
  }

  /** Registers `hook` to run at every reset, after those registered before it; returns its removal. */
  onReset(hook: ResetHook): () => void {
    const entry = (why: ResetReason): void => hook(why);
    this.#hooks.push(entry);
    return () => {
      this.#hooks = this.#hooks.filter((h) => h !== entry);
    };
  }

  /** Makes `policy` decide how announced versions are applied until the returned function is called. */
  usePolicy(policy: UpdatePolicy): () => void {
    this.#policies.push(policy);
    return () => {
      this.#policies = this.#policies.filter((p) => p !== policy);
    };
  }

  /**
   * Content announced `version`; `load` shows it. Nobody is mid-visit on the attract loop, so it
   * shows at once there (and always in the editors' preview); otherwise it waits for the reset.
   */
  announce = (version: string, load: () => Promise<void>): void => {
    if (this.#policy.immediate || this.#kiosk.screen === 'attract') {
      this.#pending = null;
      this.waiting = null;
      this.#apply(version, load);
      return;
    }
    this.#pending = { version, load };
    this.waiting = version;
  };

  /**
   * Runs `listener` whenever staff mute or unmute the kiosk (and at once if they already have);
   * returns its removal. Resets leave the staff mute as it is.
   */
  onStaffMute(listener: (muted: boolean) => void): () => void {
    this.#muteListeners.push(listener);
    if (this.staffMuted) listener(true);
    return () => {
      this.#muteListeners = this.#muteListeners.filter((l) => l !== listener);
    };
  }

  /** Staff mute (or unmute) the kiosk for this and every following visit. */
  setStaffMuted(on: boolean): void {
    this.staffMuted = on;
    for (const listener of [...this.#muteListeners]) listener(on);
  }

  /**
   * Back to the attract loop with nothing of the last visitor left: the visitor state, then every
   * hook in order (one that throws does not stop the others), then any waiting content version.
   */
  reset(why: ResetReason = 'idle'): void {
    this.#kiosk.reset();
    for (const hook of [...this.#hooks]) {
      try {
        hook(why);
      } catch (err) {
        // The next visitor still gets a clean kiosk from every other part.
        console.error('reset hook failed', err);
      }
    }
    const pending = this.#pending;
    this.#pending = null;
    this.waiting = null;
    if (pending) this.#apply(pending.version, pending.load);
  }

  /** The visitor chose "Start over" on the countdown: reset, and the idle period starts afresh. */
  startOver(): void {
    this.reset('start-over');
    this.#idle.activity();
  }

  /**
   * Runs the visit for the exhibit `source` shows: its languages, chapters and timing; the idle
   * timer only while a visitor explores (the attract loop is what idleness leads to), and a reset
   * when the countdown runs out. Returns a function that undoes it.
   */
  connect(source: ExhibitSource): () => void {
    const offExpire = this.#idle.onExpire(() => this.reset());
    const stop = $effect.root(() => {
      $effect(() => {
        const exhibit = source.exhibit;
        if (!exhibit) return;
        this.#kiosk.configure({
          defaultLang: exhibit.settings.defaultLanguage,
          chapterCount: exhibit.chapters.length,
        });
        this.#idle.configure(exhibit.settings.idleSeconds, exhibit.settings.countdownSeconds);
      });
      $effect(() => this.#idle.setEnabled(this.#kiosk.screen !== 'attract' && source.exhibit !== null));
    });
    return () => {
      offExpire();
      stop();
      this.#idle.setEnabled(false);
    };
  }

  get #policy(): UpdatePolicy {
    return this.#policies.at(-1) ?? AT_RESET;
  }

  #apply(version: string, load: () => Promise<void>): void {
    this.#policy.apply(version, load).catch((err: unknown) => console.error('content update failed', err));
  }
}

/** The kiosk's one visit, over its one visitor state and idle timer. */
export const visit = new Visit(kiosk, idle);
