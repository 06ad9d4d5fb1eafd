/**
 * The reactive face of the idle timer: the overlay reads `phase` and
 * `remainingMs`; the app feeds it activity and registers what happens at zero.
 * Narration and other long, touch-free moments call `hold`/`release`.
 */
import { IdleMachine, type IdleHold } from './idle.js';

/**
 * The longest the timer sleeps between checks. A machine that suspends stops
 * the timers but not the wall clock, so after waking the kiosk notices within
 * this long that the visitor has gone; meanwhile it does no work.
 */
export const SLEEP_CHECK_MS = 30_000;

/** Reactive idle timer around the pure {@link IdleMachine}. */
export class IdleWatch implements IdleHold {
  /** `active` while the visitor is here, `warning` during the "Still there?" countdown. */
  phase = $state<'active' | 'warning'>('active');
  /** Milliseconds left in the countdown (only meaningful while warning). */
  remainingMs = $state(0);
  /** Length of the countdown, for drawing the ring. */
  countdownMs = $state(15_000);

  #machine: IdleMachine;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #enabled = false;
  #expireHandlers = new Set<() => void>();

  constructor(now: () => number = Date.now) {
    this.#machine = new IdleMachine({ idleMs: 90_000, countdownMs: 15_000, now });
  }

  /** Sets the timing from the exhibit's settings, in seconds. */
  configure(idleSeconds: number, countdownSeconds: number): void {
    this.countdownMs = countdownSeconds * 1000;
    this.#machine.setTiming(idleSeconds * 1000, countdownSeconds * 1000);
    this.#check();
  }

  /** Runs `fn` when the countdown reaches zero; returns a function that removes it. */
  onExpire(fn: () => void): () => void {
    this.#expireHandlers.add(fn);
    return () => this.#expireHandlers.delete(fn);
  }

  /** Turns the timer on (a visitor is exploring) or off (the attract loop is showing). */
  setEnabled(on: boolean): void {
    if (on === this.#enabled) return;
    this.#enabled = on;
    this.#machine.activity();
    this.#check();
  }

  /** A touch, key or other sign of a visitor: the idle period starts again. */
  activity(): void {
    this.#machine.activity();
    this.#check();
  }

  /** Pauses the timer for `reason` (e.g. `'narration'`) until {@link release}. */
  hold(reason: string): void {
    this.#machine.hold(reason);
    this.#check();
  }

  /** Ends the hold for `reason`; the idle period restarts from now. */
  release(reason: string): void {
    this.#machine.release(reason);
    this.#check();
  }

  /** Stops all scheduling (tests, teardown). */
  dispose(): void {
    clearTimeout(this.#timer);
    this.#enabled = false;
  }

  #check = (): void => {
    clearTimeout(this.#timer);
    if (!this.#enabled) {
      this.phase = 'active';
      return;
    }
    const p = this.#machine.phase();
    if (p.kind === 'expired') {
      this.phase = 'active';
      this.#machine.activity();
      for (const fn of this.#expireHandlers) fn();
      this.#timer = setTimeout(this.#check, 1000);
      return;
    }
    this.phase = p.kind;
    if (p.kind === 'warning') {
      this.remainingMs = p.remainingMs;
      // Re-read the clock often enough for a smooth seconds display; the clock, not the ticks, decides.
      this.#timer = setTimeout(this.#check, Math.min(250, p.remainingMs));
    } else {
      if (this.#machine.held) return;
      // Wakes when the countdown is due (every touch, hold and setting reschedules it), or after a
      // machine's sleep: an untouched kiosk does almost no work, and makes almost no garbage, meanwhile.
      this.#timer = setTimeout(
        this.#check,
        Math.min(SLEEP_CHECK_MS, Math.max(16, this.#machine.msUntilChange())),
      );
    }
  };
}

/** The kiosk's one idle timer. */
export const idle = new IdleWatch();
