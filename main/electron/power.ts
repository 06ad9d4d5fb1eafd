/**
 * Keeps the kiosk's display awake while the exhibit is open: an exhibit that
 * blanks after ten minutes looks broken to the next visitor. Outside opening
 * hours the screen is black by design, so the blocker is released and the
 * display may sleep as the OS decides; it is taken again at opening time.
 */
import type { ScheduleStatus } from '../contract/schedule.js';
import type { EventLog } from '../common/log.js';

/** Electron's `powerSaveBlocker`, as far as this module uses it. */
export interface PowerSaveBlockerApi {
  start(type: 'prevent-app-suspension' | 'prevent-display-sleep'): number;
  stop(id: number): boolean;
  isStarted(id: number): boolean;
}

/** Handle returned by {@link keepDisplayAwake}. */
export interface DisplayAwake {
  /** True while the blocker is held. */
  active(): boolean;
  /** Releases the blocker (on quit). Safe to call twice. */
  release(): void;
}

/** Starts a `prevent-display-sleep` blocker and returns a handle to release it. */
export function keepDisplayAwake(blocker: PowerSaveBlockerApi): DisplayAwake {
  const id = blocker.start('prevent-display-sleep');
  return {
    active: () => blocker.isStarted(id),
    release: () => {
      if (blocker.isStarted(id)) blocker.stop(id);
    },
  };
}

/** The opening hours as the power module follows them (main/kiosk/opening-hours.ts). */
export interface ScheduleSource {
  status(): ScheduleStatus;
  subscribe(fn: (status: ScheduleStatus) => void): () => void;
}

/**
 * Holds the display awake while `schedule` is open (or has no hours) and lets
 * it sleep while scheduled off. The handle's `release` (on quit) lets go for
 * good and stops following.
 */
export function keepDisplayAwakeWhileOpen(
  blocker: PowerSaveBlockerApi,
  schedule: ScheduleSource,
  log: EventLog = () => {},
): DisplayAwake {
  let held: DisplayAwake | undefined;
  const follow = (s: ScheduleStatus) => {
    if (s.state === 'scheduled-off') {
      if (!held) return;
      held.release();
      held = undefined;
      log('display-may-sleep', { until: s.nextChange ?? null });
    } else if (!held) {
      held = keepDisplayAwake(blocker);
      log('display-awake', { state: s.state });
    }
  };
  follow(schedule.status());
  const unsubscribe = schedule.subscribe(follow);
  return {
    active: () => held?.active() ?? false,
    release: () => {
      unsubscribe();
      held?.release();
      held = undefined;
    },
  };
}
