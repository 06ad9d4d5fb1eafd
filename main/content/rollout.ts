/**
 * The rollout of a new content version to the screen: a version is announced
 * (`waiting`), the renderer starts drawing it at its next idle reset
 * (`applying`) and says so once drawn (`confirmed`). If the renderer reports
 * an error at any point before it confirmed the version (even before it said
 * it was applying it), or stays silent for the confirm time once applying,
 * the version is rolled back; once confirmed, later errors never roll it back.
 * The owner stores the confirmation (see `confirmVersion` in store.ts), and a
 * kiosk that starts with an unconfirmed version puts it on trial again
 * (`trial`): applying, with the confirm timer running, so a version that
 * crashes the screen at every start is still rolled back.
 *
 * Two parts: {@link reduceRollout}, a pure function from state and event to
 * the next state, and {@link Rollout}, a small driver that keeps the confirm
 * timer on an injected clock and asks its owner to do the actual rollback.
 * Neither touches the file system.
 */
import type { ContentStatus, PendingVersion } from '../contract/staff.js';
import type { SerialQueue } from '../common/serial-queue.js';

/** Where the rollout stands. */
export interface RolloutState {
  /** The version served now; undefined before the first one. */
  version?: string;
  /** True once the renderer has drawn `version`. */
  confirmed: boolean;
  /** A newer version on its way to the screen. */
  pending?: PendingVersion;
  /** The last rollback the rollout asked for by itself. */
  autoRollback?: ContentStatus['autoRollback'];
}

/** Something that happened to the versions or on the screen; `at` is an ISO time. */
export type RolloutEvent =
  /** A version is served now (the first at start, a newer one, or one restored). */
  | { type: 'served'; version: string; at: string }
  /** Start-up is over: the version a kiosk starts with was confirmed before, or has nothing older. */
  | { type: 'started' }
  /** Start-up is over with a current version no renderer has confirmed: it is applied again now. */
  | { type: 'trial'; version: string; at: string }
  /** The renderer started drawing `version`. */
  | { type: 'applying'; version: string; at: string }
  /** The renderer drew `version` without error. */
  | { type: 'rendered'; version: string }
  /** `version` failed and the store went back to `restored`, which was on screen before. */
  | { type: 'rolled-back'; version: string; restored: string; reason: string; at: string };

/** The state before any version. */
export const INITIAL_ROLLOUT: RolloutState = { confirmed: false };

/** The next state; the same object when the event changes nothing. */
export function reduceRollout(state: RolloutState, event: RolloutEvent): RolloutState {
  switch (event.type) {
    case 'served': {
      if (state.version === event.version) return state;
      // The very first version is not "pending": there is nothing older on screen to replace.
      if (state.version === undefined) return { ...state, version: event.version };
      return {
        ...state,
        version: event.version,
        confirmed: false,
        pending: { version: event.version, state: 'waiting', since: event.at },
      };
    }
    case 'started':
      return state.pending ? { ...state, pending: undefined } : state;
    case 'trial':
      return {
        ...state,
        version: event.version,
        confirmed: false,
        pending: { version: event.version, state: 'applying', since: event.at },
      };
    case 'applying': {
      const { pending } = state;
      if (!pending || pending.version !== event.version || state.confirmed) return state;
      return { ...state, pending: { version: event.version, state: 'applying', since: event.at } };
    }
    case 'rendered':
      if (state.version !== event.version || (state.confirmed && !state.pending)) return state;
      return { ...state, confirmed: true, pending: undefined };
    case 'rolled-back':
      return {
        version: event.restored,
        // The restored version was on screen before, so it needs no new confirmation.
        confirmed: true,
        pending: undefined,
        autoRollback: {
          at: event.at,
          version: event.version,
          restored: event.restored,
          reason: event.reason,
        },
      };
  }
}

/** The time source of a {@link Rollout}; tests pass a fake one. */
export interface RolloutClock {
  now(): number;
  /** Calls `fn` once after `ms`; returns the function that cancels it. */
  after(ms: number, fn: () => void): () => void;
}

/** The real clock, with `now` replaceable. */
export function systemClock(now: () => number = Date.now): RolloutClock {
  return {
    now,
    after(ms, fn) {
      const timer = setTimeout(fn, ms);
      return () => clearTimeout(timer);
    },
  };
}

/** Options for {@link Rollout}. */
export interface RolloutOptions {
  /** How long the renderer has to confirm a version after it starts applying it. */
  confirmMs: number;
  clock: RolloutClock;
  /**
   * Makes the version before `version` current again. Resolves to the restored
   * version, or undefined when there is nothing to go back to (or it failed).
   */
  rollBack(version: string, reason: string): Promise<string | undefined>;
  /** The owner's queue, so a rollback never interleaves with other changes. Default: at once. */
  run?: SerialQueue;
  /** Called after each change of state. */
  onChange?: () => void;
  /** Called once the renderer has confirmed `version`, so the owner can store it. */
  onConfirmed?: (version: string) => void;
}

/** Drives {@link reduceRollout}: the confirm timer and rollbacks. */
export class Rollout {
  #state: RolloutState = INITIAL_ROLLOUT;
  #cancelTimer: (() => void) | undefined;
  #closed = false;
  readonly #opts: RolloutOptions;
  readonly #run: SerialQueue;

  constructor(opts: RolloutOptions) {
    this.#opts = opts;
    this.#run = opts.run ?? ((fn) => fn());
  }

  get state(): RolloutState {
    return this.#state;
  }

  /** A version is served now. */
  served(version: string): void {
    this.#dispatch({ type: 'served', version, at: this.#iso() });
  }

  /** Start-up is over. */
  started(): void {
    this.#dispatch({ type: 'started' });
  }

  /** Start-up is over, and `version` was never confirmed: it is on trial, the confirm timer running. */
  trial(version: string): void {
    this.#dispatch({ type: 'trial', version, at: this.#iso() });
  }

  /** The renderer started drawing `version`: the confirm timer starts. */
  applying(version: string): void {
    this.#dispatch({ type: 'applying', version, at: this.#iso() });
  }

  /** The renderer drew `version`. */
  rendered(version: string): void {
    const before = this.#state;
    this.#dispatch({ type: 'rendered', version });
    if (this.#state !== before && this.#state.confirmed) this.#opts.onConfirmed?.(version);
  }

  /**
   * The renderer reported an error. Rolls back (in the owner's queue) when a
   * new version is on its way and still unconfirmed by then, whether or not the
   * renderer said it started drawing it; resolves true if it did.
   */
  failed(reason: string): Promise<boolean> {
    const pending = this.#state.pending;
    if (!pending) return Promise.resolve(false);
    return this.#run(() => this.#rollBackNow(pending.version, reason));
  }

  /** The owner rolled `version` back to `restored` by itself (e.g. it found `version` damaged). */
  restored(version: string, restored: string, reason: string): void {
    this.#dispatch({ type: 'rolled-back', version, restored, reason, at: this.#iso() });
  }

  /** Stops the timer; nothing happens after this. */
  close(): void {
    this.#closed = true;
    this.#stopTimer();
  }

  #iso(): string {
    return new Date(this.#opts.clock.now()).toISOString();
  }

  #dispatch(event: RolloutEvent): void {
    const before = this.#state;
    const next = reduceRollout(before, event);
    if (next === before) return;
    this.#state = next;
    // The timer belongs to one pending version in one `applying` state: any change of it ends the wait.
    if (next.pending !== before.pending) {
      this.#stopTimer();
      if (next.pending?.state === 'applying' && !this.#closed) this.#startTimer(next.pending.version);
    }
    this.#opts.onChange?.();
  }

  #startTimer(version: string): void {
    const { confirmMs, clock } = this.#opts;
    const reason = `the kiosk did not confirm it within ${Math.round(confirmMs / 1000)} s`;
    this.#cancelTimer = clock.after(confirmMs, () => {
      this.#cancelTimer = undefined;
      void this.#run(() => this.#rollBackNow(version, reason)).catch(() => undefined);
    });
  }

  #stopTimer(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
  }

  async #rollBackNow(version: string, reason: string): Promise<boolean> {
    // Re-checked here: the renderer may have confirmed, or a newer version come, while this waited its turn.
    // (Confirming a version ends its pending state, so this covers both.)
    const { pending } = this.#state;
    if (this.#closed || pending?.version !== version) return false;
    this.#stopTimer();
    const restored = await this.#opts.rollBack(version, reason);
    if (restored === undefined) return false;
    this.#dispatch({ type: 'rolled-back', version, restored, reason, at: this.#iso() });
    return true;
  }
}
