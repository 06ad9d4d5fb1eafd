/**
 * The idle timer as a pure state machine over wall-clock time. It never
 * counts ticks: each question is answered from `now() - lastActivity`, so a
 * busy main thread, a throttled timer or a sleeping machine cannot stretch it.
 */

/** Where the idle timer stands. */
export type IdlePhase = { kind: 'active' } | { kind: 'warning'; remainingMs: number } | { kind: 'expired' };

/** Timing and clock for an {@link IdleMachine}. */
export interface IdleOptions {
  /** Milliseconds without activity before the warning countdown starts. */
  idleMs: number;
  /** Length of the warning countdown in milliseconds. */
  countdownMs: number;
  /** The clock, `Date.now` in the app and a fake in tests. */
  now?: () => number;
}

/**
 * The idle timer's pause handle, as audio and the read-aloud guide use it: narration or speech is a
 * visitor listening, not gone, so it holds the timer until it ends.
 */
export interface IdleHold {
  hold(reason: string): void;
  release(reason: string): void;
}

/** Wall-clock idle logic: active, then a warning countdown, then expired. */
export class IdleMachine implements IdleHold {
  #idleMs: number;
  #countdownMs: number;
  #now: () => number;
  #last: number;
  #holds = new Set<string>();

  constructor(opts: IdleOptions) {
    this.#idleMs = opts.idleMs;
    this.#countdownMs = opts.countdownMs;
    this.#now = opts.now ?? Date.now;
    this.#last = this.#now();
  }

  /** Changes the timing; the current idle period keeps its start. */
  setTiming(idleMs: number, countdownMs: number): void {
    this.#idleMs = idleMs;
    this.#countdownMs = countdownMs;
  }

  /** A visitor did something: the idle period starts again. */
  activity(): void {
    this.#last = this.#now();
  }

  /** Stops the timer for `reason` (e.g. narration playing) until released. */
  hold(reason: string): void {
    this.#holds.add(reason);
  }

  /** Ends the hold for `reason`; the idle period starts from this moment. */
  release(reason: string): void {
    if (this.#holds.delete(reason)) this.#last = this.#now();
  }

  /** Whether anything is holding the timer. */
  get held(): boolean {
    return this.#holds.size > 0;
  }

  /** The phase at this moment. */
  phase(): IdlePhase {
    if (this.#holds.size > 0) {
      // Time spent held never counts towards idleness.
      this.#last = this.#now();
      return { kind: 'active' };
    }
    const elapsed = this.#now() - this.#last;
    if (elapsed < this.#idleMs) return { kind: 'active' };
    const remainingMs = this.#idleMs + this.#countdownMs - elapsed;
    if (remainingMs > 0) return { kind: 'warning', remainingMs };
    return { kind: 'expired' };
  }

  /** Milliseconds until the phase can next change, for scheduling a check. */
  msUntilChange(): number {
    const p = this.phase();
    if (p.kind === 'active') return this.#idleMs - (this.#now() - this.#last);
    if (p.kind === 'warning') return p.remainingMs;
    return 0;
  }
}
