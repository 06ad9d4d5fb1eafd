/**
 * The kiosk's opening hours, followed on the host's clock: the state the staff
 * status shows, the page is told over `/api/events`, the metrics report and the
 * Electron layer acts on (the display may sleep while closed). One timer waits
 * for the next change; a re-check every minute catches a clock that jumped
 * (NTP, a wrong BIOS clock corrected) and a timer that fired late.
 */
import { scheduleStatus, type OpeningHours, type ScheduleStatus } from '../contract/schedule.js';

/** The timer calls the watch uses (injected in tests). */
interface ScheduleTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

/** Options of {@link watchOpeningHours}. */
export interface OpeningHoursOptions {
  /** The opening hours of the exhibit on screen now; undefined: always open. */
  hours(): OpeningHours | undefined;
  now?: () => number;
  timers?: ScheduleTimers;
  /** The safety re-check; default a minute. */
  recheckMs?: number;
  /** Hears each change of state (and the first state), for the event log. */
  onChange?: (status: ScheduleStatus, previous: ScheduleStatus | undefined) => void;
}

/** The followed schedule. */
export interface OpeningHoursWatch {
  status(): ScheduleStatus;
  /** Calls `fn` with each new status; returns a function that stops it. */
  subscribe(fn: (status: ScheduleStatus) => void): () => void;
  /** Looks again now, e.g. because the exhibit (and so its hours) changed. */
  check(): void;
  close(): void;
}

/** Longest delay a Node timer takes without firing at once. */
const MAX_DELAY_MS = 2 ** 31 - 1;

const nodeTimers: ScheduleTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  setInterval: (fn, ms) => setInterval(fn, ms).unref(),
  clearInterval: (h) => clearInterval(h as NodeJS.Timeout),
};

/** Follows the opening hours from now on. */
export function watchOpeningHours(opts: OpeningHoursOptions): OpeningHoursWatch {
  const now = opts.now ?? Date.now;
  const timers = opts.timers ?? nodeTimers;
  const listeners = new Set<(s: ScheduleStatus) => void>();
  let current: ScheduleStatus | undefined;
  let timer: unknown;
  let closed = false;

  const same = (a: ScheduleStatus, b: ScheduleStatus) => a.state === b.state && a.nextChange === b.nextChange;

  const check = () => {
    if (closed) return;
    const next = scheduleStatus(opts.hours(), now());
    const previous = current;
    if (!previous || !same(previous, next)) {
      current = next;
      if (!previous || previous.state !== next.state) opts.onChange?.(next, previous);
      for (const fn of listeners) fn(next);
    }
    if (timer !== undefined) timers.clearTimeout(timer);
    timer = undefined;
    if (next.nextChange) {
      // A few ms late rather than early: at the change itself the rule already gives the new state.
      const delay = Math.min(MAX_DELAY_MS, Math.max(0, Date.parse(next.nextChange) - now()) + 5);
      timer = timers.setTimeout(check, delay);
    }
  };

  const interval = timers.setInterval(check, opts.recheckMs ?? 60_000);
  check();

  return {
    status: () => current!,
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    check,
    close() {
      closed = true;
      timers.clearInterval(interval);
      if (timer !== undefined) timers.clearTimeout(timer);
    },
  };
}
