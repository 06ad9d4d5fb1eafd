/**
 * Self-recovery for months of unattended running: a crashed, killed or hung
 * renderer, or a page that failed to load, is reloaded after a growing pause;
 * if failures keep coming the whole app relaunches. Every event goes to the
 * event log (main/common/log.ts) in the user-data folder, where staff can read it.
 */
import type { EventLog } from '../common/log.js';

/** How hard recovery tries before relaunching. */
export interface RecoveryPolicy {
  /** Pause before the 1st, 2nd, ... reload within the window; the last repeats. */
  backoffMs: readonly number[];
  /** Failures older than this are forgotten. */
  windowMs: number;
  /** This many failures within the window relaunch the app instead. */
  maxFailures: number;
  /** How long a renderer may hang before it is killed and reloaded. */
  unresponsiveGraceMs: number;
}

/** Defaults: 1 s, 2 s, 5 s, 15 s between reloads; a 5th failure in 10 minutes relaunches. */
export const DEFAULT_RECOVERY_POLICY: RecoveryPolicy = {
  backoffMs: [1_000, 2_000, 5_000, 15_000],
  windowMs: 10 * 60_000,
  maxFailures: 5,
  unresponsiveGraceMs: 15_000,
};

/** What to do about a failure. */
export type RecoveryAction = { kind: 'reload'; delayMs: number } | { kind: 'relaunch' };

/**
 * Decides the response to a failure at `now`, given the times of earlier
 * failures (pure). Returns the action and the failure history to keep.
 */
export function decideRecovery(
  history: readonly number[],
  now: number,
  policy: RecoveryPolicy = DEFAULT_RECOVERY_POLICY,
): { action: RecoveryAction; history: number[] } {
  const recent = [...history.filter((t) => now - t < policy.windowMs), now];
  if (recent.length >= policy.maxFailures) return { action: { kind: 'relaunch' }, history: [] };
  const delayMs = policy.backoffMs[Math.min(recent.length - 1, policy.backoffMs.length - 1)] ?? 0;
  return { action: { kind: 'reload', delayMs }, history: recent };
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
  /** Restarts the whole app; default `app.relaunch()` then `app.exit(0)` (see `restartApp` in main/kiosk/restart.ts). */
  restart?: () => void;
  policy?: RecoveryPolicy;
}

// net::ERR_ABORTED: a load replaced by another (our own reload), not a failure.
const ERR_ABORTED = -3;

/**
 * Watches the kiosk's renderer and child processes and recovers from
 * failures per {@link decideRecovery}. Returns a function that cancels any
 * pending recovery (for shutdown).
 */
export function superviseRenderer(deps: RecoveryDeps): () => void {
  const policy = deps.policy ?? DEFAULT_RECOVERY_POLICY;
  let history: number[] = [];
  let childHistory: number[] = [];
  let pending: unknown;
  let hangTimer: unknown;

  const relaunch = (why: string) => {
    deps.log('relaunch', { why });
    if (deps.restart) {
      deps.restart();
      return;
    }
    deps.app.relaunch();
    deps.app.exit(0);
  };

  const fail = (why: string, detail: Record<string, unknown>) => {
    if (deps.isQuitting()) return;
    // One recovery at a time: the crash that follows our own kill is the same failure.
    if (pending !== undefined) return;
    const decision = decideRecovery(history, deps.clock.now(), policy);
    history = decision.history;
    deps.log(why, { ...detail, failuresInWindow: history.length });
    if (decision.action.kind === 'relaunch') {
      relaunch(why);
      return;
    }
    const delayMs = decision.action.delayMs;
    deps.log('reload-scheduled', { delayMs });
    pending = deps.clock.setTimeout(() => {
      pending = undefined;
      if (deps.contents.isDestroyed()) return;
      deps.contents.loadURL(deps.url).catch((error: unknown) => {
        deps.log('reload-failed', { error: String(error) });
      });
    }, delayMs);
  };

  deps.contents.on('render-process-gone', (_event, details) => {
    if (!deps.isQuitting()) {
      try {
        deps.onRendererGone?.(details.reason);
      } catch (error) {
        deps.log('renderer-gone-hook-failed', { error: String(error) });
      }
    }
    fail('render-process-gone', { reason: details.reason, exitCode: details.exitCode });
  });
  deps.contents.on('did-fail-load', (_event, errorCode, errorDescription, validatedURL, isMainFrame) => {
    if (!isMainFrame || errorCode === ERR_ABORTED) return;
    fail('load-failed', { errorCode, errorDescription, url: validatedURL });
  });
  deps.window.on('unresponsive', () => {
    deps.log('unresponsive', {});
    if (hangTimer !== undefined) return;
    hangTimer = deps.clock.setTimeout(() => {
      hangTimer = undefined;
      if (deps.contents.isDestroyed()) return;
      deps.log('unresponsive-kill', { afterMs: policy.unresponsiveGraceMs });
      fail('hung', {});
      deps.contents.forcefullyCrashRenderer();
    }, policy.unresponsiveGraceMs);
  });
  deps.window.on('responsive', () => {
    if (hangTimer === undefined) return;
    deps.clock.clearTimeout(hangTimer);
    hangTimer = undefined;
    deps.log('responsive', {});
  });
  deps.app.on('child-process-gone', (_event, details) => {
    if (deps.isQuitting() || details.reason === 'clean-exit') return;
    // Chromium restarts GPU/utility processes itself; we only step in when it keeps happening.
    const decision = decideRecovery(childHistory, deps.clock.now(), policy);
    childHistory = decision.history;
    deps.log('child-process-gone', { ...details, failuresInWindow: childHistory.length });
    if (decision.action.kind === 'relaunch') relaunch('child-process-gone');
  });

  return () => {
    if (pending !== undefined) deps.clock.clearTimeout(pending);
    if (hangTimer !== undefined) deps.clock.clearTimeout(hangTimer);
    pending = undefined;
    hangTimer = undefined;
  };
}
