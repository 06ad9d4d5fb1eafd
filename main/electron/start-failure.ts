/**
 * What the kiosk does when it cannot even start (the content store, the
 * handler or the window fails to set up): the failure is counted in
 * `recovery.json` with the screen's own, and the app restarts after a pause,
 * so a passing fault heals by itself. Once failures keep coming, it shows the
 * resting page instead of flickering through restarts, and tries a restart
 * on the resting schedule.
 */
import type { EventLog } from '../common/log.js';
import type { FailureStore } from './failure-record.js';
import type { Clock, RecoveryPolicy } from './recovery.js';

/** The pause before restarting after a failed start that is not yet a loop. */
export const START_RETRY_MS = 5_000;

/** What {@link handleStartFailure} needs, injected so tests need no Electron. */
export interface StartFailureDeps {
  store: FailureStore;
  policy: RecoveryPolicy;
  clock: Clock;
  log: EventLog;
  /** Shows the resting page in a window of its own (nothing else of the kiosk may be working). */
  showResting: () => void;
  /** Restarts the app (see `restartApp` in main/kiosk/restart.ts). */
  restart: () => void;
}

/** Counts a failed start and decides: restart soon, or rest and restart on the slow schedule. */
export async function handleStartFailure(
  error: unknown,
  deps: StartFailureDeps,
): Promise<'restarting' | 'resting'> {
  const now = deps.clock.now();
  const before = await deps.store.load();
  const failures = [...before.failures.filter((t) => now - t < deps.policy.windowMs && t <= now), now];
  // A start that fails while the kiosk was resting (the slow schedule's try) rests again, twice as long.
  const wasResting = before.restRetryMs !== undefined;
  const resting = wasResting || failures.length >= deps.policy.maxFailures;
  const retryMs = !resting
    ? START_RETRY_MS
    : wasResting
      ? Math.min(Math.max(before.restRetryMs! * 2, deps.policy.restRetryMs), deps.policy.restRetryMaxMs)
      : deps.policy.restRetryMs;
  deps.store.save(resting ? { failures, restRetryMs: retryMs } : { failures });
  await deps.store.flush();
  deps.log('start-failed', { error: String(error), failuresInWindow: failures.length, retryInMs: retryMs });
  if (resting) {
    try {
      deps.showResting();
    } catch (showError) {
      deps.log('resting-show-failed', { error: String(showError) });
    }
  }
  deps.clock.setTimeout(() => deps.restart(), retryMs);
  return resting ? 'resting' : 'restarting';
}
