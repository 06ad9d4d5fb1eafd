/**
 * Self-recovery for months of unattended running: a crashed, killed or hung
 * renderer, or a page that failed to load, is reloaded after a growing pause;
 * if failures keep coming the whole app relaunches, and if they still come
 * the kiosk rests: a calm static page (./resting.ts), an unconfirmed content
 * version rolled back, and a new try on a slow schedule. The failures are kept
 * on disk (./failure-record.ts), so relaunches count too. Every event goes to
 * the event log (main/common/log.ts) in the user-data folder, where staff can read it.
 */
import type { EventLog } from '../common/log.js';
import type { KioskConfig } from '../kiosk/config.js';
import type { FailureRecord } from './failure-record.js';

/** How hard recovery tries, and when it stops trying and rests. */
export interface RecoveryPolicy {
  /** Pause before the 1st, 2nd, ... reload within the window; the last repeats. */
  backoffMs: readonly number[];
  /** Failures older than this are forgotten. */
  windowMs: number;
  /** The failure within the window on which the whole app relaunches instead of reloading; 0: never. */
  relaunchAt: number;
  /** This many failures within the window and the kiosk rests (see ./resting.ts). */
  maxFailures: number;
  /** How long a renderer may hang before it is killed and reloaded. */
  unresponsiveGraceMs: number;
  /** The first pause before trying the kiosk again from the resting page; it doubles after each failed try. */
  restRetryMs: number;
  /** The longest pause between tries from the resting page. */
  restRetryMaxMs: number;
  /** A try from the resting page that runs this long without a failure ends the rest. */
  healthyAfterMs: number;
}

/**
 * Defaults: 1 s, 2 s, 5 s, 15 s between reloads; the 3rd failure in 10 minutes
 * relaunches the app, the 5th rests; from rest, a try after 10 minutes,
 * doubling to an hour.
 */
export const DEFAULT_RECOVERY_POLICY: RecoveryPolicy = {
  backoffMs: [1_000, 2_000, 5_000, 15_000],
  windowMs: 10 * 60_000,
  relaunchAt: 3,
  maxFailures: 5,
  unresponsiveGraceMs: 15_000,
  restRetryMs: 10 * 60_000,
  restRetryMaxMs: 60 * 60_000,
  healthyAfterMs: 2 * 60_000,
};

/** The policy with `config.json`'s `recovery` settings (main/kiosk/config.ts) applied. */
export function recoveryPolicy(settings: KioskConfig['recovery'] = {}): RecoveryPolicy {
  const minutes = (m: number | undefined, fallback: number) => (m === undefined ? fallback : m * 60_000);
  const d = DEFAULT_RECOVERY_POLICY;
  const restRetryMs = minutes(settings.retryMinutes, d.restRetryMs);
  return {
    ...d,
    maxFailures: settings.maxFailures ?? d.maxFailures,
    windowMs: minutes(settings.windowMinutes, d.windowMs),
    restRetryMs,
    restRetryMaxMs: Math.max(restRetryMs, minutes(settings.retryMaxMinutes, d.restRetryMaxMs)),
  };
}

/** Why recovery restarted the screen: a renderer or helper process that ended, a hang, a failed load. */
export type RestartReason = 'crash' | 'hang' | 'load-failed';

/** The restart reason of each failure {@link superviseRenderer} handles. */
const RESTART_REASONS: Record<string, RestartReason> = {
  'render-process-gone': 'crash',
  'child-process-gone': 'crash',
  hung: 'hang',
  'load-failed': 'load-failed',
};

/** What to do about a failure. */
export type RecoveryAction = { kind: 'reload'; delayMs: number } | { kind: 'relaunch' } | { kind: 'rest' };

/** The failures of `history` still inside the policy's window at `now`. */
function recentFailures(history: readonly number[], now: number, policy: RecoveryPolicy): number[] {
  return history.filter((t) => now - t < policy.windowMs && t <= now);
}

/**
 * Decides the response to a failure at `now`, given the times of earlier
 * failures (pure). Returns the action and the failure history to keep (also
 * across a relaunch: it is what ends a relaunch loop).
 */
export function decideRecovery(
  history: readonly number[],
  now: number,
  policy: RecoveryPolicy = DEFAULT_RECOVERY_POLICY,
): { action: RecoveryAction; history: number[] } {
  const recent = [...recentFailures(history, now, policy), now];
  if (recent.length >= policy.maxFailures) return { action: { kind: 'rest' }, history: recent };
  if (recent.length === policy.relaunchAt) return { action: { kind: 'relaunch' }, history: recent };
  const delayMs = policy.backoffMs[Math.min(recent.length - 1, policy.backoffMs.length - 1)] ?? 0;
  return { action: { kind: 'reload', delayMs }, history: recent };
}

/** Whether a kiosk starting at `now` with these failures behind it should start on the resting page (pure). */
function startsResting(
  history: readonly number[],
  now: number,
  policy: RecoveryPolicy = DEFAULT_RECOVERY_POLICY,
): boolean {
  return recentFailures(history, now, policy).length >= policy.maxFailures;
}

/** The pause before the next try from the resting page, after one at `previousMs` failed (pure). */
function nextRestRetry(previousMs: number | undefined, policy: RecoveryPolicy): number {
  if (previousMs === undefined) return policy.restRetryMs;
  return Math.min(Math.max(previousMs * 2, policy.restRetryMs), policy.restRetryMaxMs);
}

/** The web-contents surface recovery watches and drives. */
export interface RecoverableContents {
  on(
    event: 'render-process-gone',
    listener: (event: unknown, details: { reason: string; exitCode: number }) => void,
  ): unknown;
  on(
    event: 'did-fail-load',
    listener: (
      event: unknown,
      errorCode: number,
      errorDescription: string,
      validatedURL: string,
      isMainFrame: boolean,
    ) => void,
  ): unknown;
  isDestroyed(): boolean;
  loadURL(url: string): Promise<void>;
  forcefullyCrashRenderer(): void;
}

/** The window events recovery watches. */
export interface RecoverableWindow {
  on(event: 'unresponsive' | 'responsive', listener: () => void): unknown;
}

/** The app surface recovery watches and drives. */
export interface RecoverableApp {
  on(
    event: 'child-process-gone',
    listener: (
      event: unknown,
      details: { type: string; reason: string; exitCode: number; name?: string },
    ) => void,
  ): unknown;
  relaunch(): void;
  exit(code: number): void;
}

/** Timers and clock, injected so tests control time. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Everything {@link superviseRenderer} needs. */
export interface RecoveryDeps {
  app: RecoverableApp;
  window: RecoverableWindow;
  contents: RecoverableContents;
  /** The page to (re)load. */
  url: string;
  /** The resting page to show once failures keep coming (see ./resting.ts); asked each time, for a current title. */
  restingUrl: () => string;
  clock: Clock;
  log: EventLog;
  /** True while the app is deliberately quitting: a renderer exit then is expected. */
  isQuitting: () => boolean;
  /**
   * Told when the renderer process ends by itself (crash, kill, our own kill of
   * a hung page), before the reload: the live content store rolls back a new
   * version that was being drawn, so the reload shows the one that worked.
   */
  onRendererGone?: (reason: string) => void;
  /** Told when the kiosk starts resting: content rolls back a version the screen never confirmed. */
  onResting?: (why: string) => void;
  /**
   * Told each time recovery reloads the kiosk or relaunches the app after a
   * failure, with its kind (the `reason` of `vitrine_renderer_restarts_total`).
   */
  onRestart?: (reason: RestartReason) => void;
  /** Restarts the whole app; default `app.relaunch()` then `app.exit(0)` (see `restartApp` in main/kiosk/restart.ts). */
  restart?: () => void;
  policy?: RecoveryPolicy;
  /** The failures of earlier runs (./failure-record.ts); default none. */
  record?: FailureRecord;
  /** Keeps the failures for the next run; default: not kept. */
  /** Resolves once the record is on disk; a relaunch waits for it, or the next run would start from zero. */
  save?: (record: FailureRecord) => void | Promise<void>;
}

// net::ERR_ABORTED: a load replaced by another (our own reload), not a failure.
const ERR_ABORTED = -3;

/**
 * Watches the kiosk's renderer and child processes, loads the kiosk (or, after
 * too many failures in earlier runs, the resting page), and recovers from
 * failures per {@link decideRecovery}. Returns a function that cancels any
 * pending recovery (for shutdown).
 */
export function superviseRenderer(deps: RecoveryDeps): () => void {
  const policy = deps.policy ?? DEFAULT_RECOVERY_POLICY;
  let history: number[] = [...(deps.record?.failures ?? [])];
  let childHistory: number[] = [];
  // running: the kiosk is up; resting: the resting page is; trying: the kiosk again, on probation.
  let state: 'running' | 'resting' | 'trying' = 'running';
  let restRetryMs: number | undefined = deps.record?.restRetryMs;
  let pending: unknown;
  let hangTimer: unknown;
  let restTimer: unknown;
  let healthyTimer: unknown;
  let killing = false;

  const save = () =>
    deps.save?.(state === 'running' ? { failures: history } : { failures: history, restRetryMs });

  const clear = (handle: unknown) => {
    if (handle !== undefined) deps.clock.clearTimeout(handle);
    return undefined;
  };

  const load = (url: string, what: string) => {
    if (deps.contents.isDestroyed()) return;
    deps.contents.loadURL(url).catch((error: unknown) => {
      deps.log(`${what}-failed`, { error: String(error) });
    });
  };

  const restarted = (why: string) => {
    const reason = RESTART_REASONS[why];
    if (!reason) return;
    try {
      deps.onRestart?.(reason);
    } catch (error) {
      deps.log('restart-hook-failed', { error: String(error) });
    }
  };

  let relaunching = false;
  /** Saves the count, then relaunches: the next run must find this failure on disk. */
  const saveAndRelaunch = (why: string) => {
    relaunching = true;
    const go = () => {
      relaunch(why);
      // Still here (a restart that returns, as in tests): this process goes on recovering.
      relaunching = false;
    };
    const saved = save();
    if (saved === undefined) go();
    else void saved.then(go, go);
  };

  const relaunch = (why: string) => {
    deps.log('relaunch', { why });
    if (deps.restart) {
      deps.restart();
      return;
    }
    deps.app.relaunch();
    deps.app.exit(0);
  };

  const rest = (why: string) => {
    pending = clear(pending);
    hangTimer = clear(hangTimer);
    healthyTimer = clear(healthyTimer);
    restTimer = clear(restTimer);
    const first = state === 'running';
    state = 'resting';
    if (!first || restRetryMs === undefined)
      restRetryMs = nextRestRetry(first ? undefined : restRetryMs, policy);
    save();
    deps.log('resting', { why, failuresInWindow: history.length, retryInMs: restRetryMs });
    try {
      deps.onResting?.(why);
    } catch (error) {
      deps.log('resting-hook-failed', { error: String(error) });
    }
    load(deps.restingUrl(), 'resting-load');
    restTimer = deps.clock.setTimeout(tryAgain, restRetryMs);
  };

  const tryAgain = () => {
    restTimer = undefined;
    state = 'trying';
    deps.log('resting-retry', { afterMs: restRetryMs });
    load(deps.url, 'reload');
    healthyTimer = deps.clock.setTimeout(() => {
      healthyTimer = undefined;
      state = 'running';
      history = [];
      restRetryMs = undefined;
      save();
      deps.log('recovered', { afterMs: policy.healthyAfterMs });
    }, policy.healthyAfterMs);
  };

  const fail = (why: string, detail: Record<string, unknown>) => {
    // Quitting, or this process is about to be replaced: its renderer's end is expected.
    if (deps.isQuitting() || relaunching) return;
    if (state === 'resting') {
      // The resting page itself failed (it needs only a renderer): show it again, calmly, without counting.
      deps.log('resting-page-failed', { why, ...detail });
      if (pending !== undefined) return;
      pending = deps.clock.setTimeout(
        () => {
          pending = undefined;
          if (state === 'resting') load(deps.restingUrl(), 'resting-load');
        },
        policy.backoffMs[policy.backoffMs.length - 1] ?? 0,
      );
      return;
    }
    // One recovery at a time: the crash that follows our own kill is the same failure.
    if (pending !== undefined) return;
    const now = deps.clock.now();
    if (state === 'trying') {
      history = [...recentFailures(history, now, policy), now];
      deps.log(why, { ...detail, retry: 'failed' });
      rest(why);
      return;
    }
    const decision = decideRecovery(history, now, policy);
    history = decision.history;
    deps.log(why, { ...detail, failuresInWindow: history.length });
    if (decision.action.kind === 'rest') {
      rest(why);
      return;
    }
    if (decision.action.kind === 'relaunch') {
      restarted(why);
      saveAndRelaunch(why);
      return;
    }
    save();
    const delayMs = decision.action.delayMs;
    deps.log('reload-scheduled', { delayMs });
    pending = deps.clock.setTimeout(() => {
      pending = undefined;
      restarted(why);
      load(deps.url, 'reload');
    }, delayMs);
  };

  deps.contents.on('render-process-gone', (_event, details) => {
    if (!deps.isQuitting() && state !== 'resting') {
      try {
        deps.onRendererGone?.(details.reason);
      } catch (error) {
        deps.log('renderer-gone-hook-failed', { error: String(error) });
      }
    }
    if (killing) {
      killing = false;
      return;
    }
    fail('render-process-gone', { reason: details.reason, exitCode: details.exitCode });
  });
  deps.contents.on('did-fail-load', (_event, errorCode, errorDescription, validatedURL, isMainFrame) => {
    if (!isMainFrame || errorCode === ERR_ABORTED) return;
    fail('load-failed', { errorCode, errorDescription, url: validatedURL.slice(0, 200) });
  });
  deps.window.on('unresponsive', () => {
    deps.log('unresponsive', {});
    if (hangTimer !== undefined) return;
    hangTimer = deps.clock.setTimeout(() => {
      hangTimer = undefined;
      if (deps.contents.isDestroyed()) return;
      deps.log('unresponsive-kill', { afterMs: policy.unresponsiveGraceMs });
      fail('hung', {});
      // The end of the process we kill is this same failure, whatever was decided for it.
      killing = true;
      deps.contents.forcefullyCrashRenderer();
    }, policy.unresponsiveGraceMs);
  });
  deps.window.on('responsive', () => {
    if (hangTimer === undefined) return;
    hangTimer = clear(hangTimer);
    deps.log('responsive', {});
  });
  deps.app.on('child-process-gone', (_event, details) => {
    if (deps.isQuitting() || details.reason === 'clean-exit') return;
    // Chromium restarts GPU/utility processes itself; we only step in when it keeps happening.
    const now = deps.clock.now();
    childHistory = [...recentFailures(childHistory, now, policy), now];
    deps.log('child-process-gone', { ...details, failuresInWindow: childHistory.length });
    if (childHistory.length < policy.maxFailures || state !== 'running' || relaunching) return;
    childHistory = [];
    // One relaunch for the lot, counted with the screen's failures so relaunching cannot loop.
    history = [...recentFailures(history, now, policy), now];
    if (history.length >= policy.maxFailures) {
      rest('child-process-gone');
      return;
    }
    restarted('child-process-gone');
    saveAndRelaunch('child-process-gone');
  });

  if (startsResting(history, deps.clock.now(), policy)) {
    deps.log('start-resting', { failuresInWindow: recentFailures(history, deps.clock.now(), policy).length });
    rest('failures in earlier runs');
  } else if (restRetryMs !== undefined) {
    // The run before was resting (or its start kept failing): this start is the slow schedule's try.
    tryAgain();
  } else {
    // A first load that fails is retried like any other (did-fail-load).
    load(deps.url, 'load');
  }

  return () => {
    pending = clear(pending);
    hangTimer = clear(hangTimer);
    restTimer = clear(restTimer);
    healthyTimer = clear(healthyTimer);
  };
}
