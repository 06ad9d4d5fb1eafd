import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_RECOVERY_POLICY,
  decideRecovery,
  superviseRenderer,
  type RecoverableApp,
  type RecoverableContents,
  type RecoverableWindow,
  type RestartReason,
} from '../../main/electron/recovery.js';

/** A clock whose timers fire only when the test advances it. */
class FakeClock {
  t = 1_000_000;
  timers: Array<{ at: number; fn: () => void; id: number }> = [];
  nextId = 1;
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = this.nextId++;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  };
  clearTimeout = (id: unknown) => {
    this.timers = this.timers.filter((x) => x.id !== id);
  };
  advance(ms: number) {
    this.t += ms;
    const due = this.timers.filter((x) => x.at <= this.t);
    this.timers = this.timers.filter((x) => x.at > this.t);
    for (const x of due) x.fn();
  }
}

class FakeContents extends EventEmitter {
  loads: string[] = [];
  crashed = 0;
  isDestroyed = () => false;
  loadURL(url: string) {
    this.loads.push(url);
    return Promise.resolve();
  }
  forcefullyCrashRenderer() {
    this.crashed++;
    this.emit('render-process-gone', {}, { reason: 'killed', exitCode: 9 });
  }
}

function setup(
  onRendererGone?: (reason: string) => void,
  restart?: () => void,
  onRestart?: (reason: RestartReason) => void,
) {
  const clock = new FakeClock();
  const contents = new FakeContents();
  const win = new EventEmitter();
  const app = Object.assign(new EventEmitter(), { relaunch: vi.fn(), exit: vi.fn() });
  const log = vi.fn();
  let quitting = false;
  const stop = superviseRenderer({
    app: app as unknown as RecoverableApp,
    window: win as unknown as RecoverableWindow,
    contents: contents as unknown as RecoverableContents,
    url: 'app://kiosk/',
    clock,
    log,
    isQuitting: () => quitting,
    onRendererGone,
    restart,
    onRestart,
    restingUrl: () => 'data:text/html,resting',
  });
  // The supervisor makes the first load itself; the tests look at what follows.
  expect(contents.loads).toEqual(['app://kiosk/']);
  contents.loads = [];
  const crash = () => contents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
  return { clock, contents, win, app, log, stop, crash, quit: () => (quitting = true) };
}

describe('decideRecovery', () => {
  it('backs off 1 s, 2 s, relaunches on the 3rd failure within 10 minutes, 15 s, then rests on the 5th', () => {
    let history: number[] = [];
    const actions: unknown[] = [];
    for (let i = 0; i < 5; i++) {
      const d = decideRecovery(history, 10_000 * i);
      history = d.history;
      actions.push(d.action);
    }
    expect(actions).toEqual([
      { kind: 'reload', delayMs: 1_000 },
      { kind: 'reload', delayMs: 2_000 },
      { kind: 'relaunch' },
      { kind: 'reload', delayMs: 15_000 },
      { kind: 'rest' },
    ]);
    // The relaunch keeps the history: the next run goes on counting.
    expect(history).toHaveLength(5);
  });

  it('forgets failures older than the window', () => {
    const old = [0, 1, 2, 3];
    const d = decideRecovery(old, DEFAULT_RECOVERY_POLICY.windowMs + 10);
    expect(d.action).toEqual({ kind: 'reload', delayMs: 1_000 });
    expect(d.history).toHaveLength(1);
  });
});

describe('superviseRenderer', () => {
  it('reloads the kiosk after a renderer crash, not before the back-off', () => {
    const s = setup();
    s.crash();
    expect(s.contents.loads).toEqual([]);
    s.clock.advance(999);
    expect(s.contents.loads).toEqual([]);
    s.clock.advance(1);
    expect(s.contents.loads).toEqual(['app://kiosk/']);
    expect(s.log).toHaveBeenCalledWith('render-process-gone', expect.objectContaining({ reason: 'crashed' }));
  });

  it('relaunches the app when crashes keep coming', () => {
    const s = setup();
    for (let i = 0; i < 2; i++) {
      s.crash();
      s.clock.advance(20_000);
    }
    expect(s.app.relaunch).not.toHaveBeenCalled();
    s.crash();
    expect(s.app.relaunch).toHaveBeenCalledTimes(1);
    expect(s.app.exit).toHaveBeenCalledWith(0);
  });

  it('retries a failed main-frame load but ignores aborted and sub-frame loads', () => {
    const s = setup();
    s.contents.emit('did-fail-load', {}, -3, 'ERR_ABORTED', 'app://kiosk/', true);
    s.contents.emit('did-fail-load', {}, -6, 'ERR_FILE_NOT_FOUND', 'app://kiosk/x', false);
    s.clock.advance(60_000);
    expect(s.contents.loads).toEqual([]);
    s.contents.emit('did-fail-load', {}, -6, 'ERR_FILE_NOT_FOUND', 'app://kiosk/', true);
    s.clock.advance(1_000);
    expect(s.contents.loads).toEqual(['app://kiosk/']);
  });

  it('kills and reloads a renderer that stays hung past the grace period', () => {
    const s = setup();
    s.win.emit('unresponsive');
    s.clock.advance(DEFAULT_RECOVERY_POLICY.unresponsiveGraceMs - 1);
    expect(s.contents.crashed).toBe(0);
    s.clock.advance(1);
    expect(s.contents.crashed).toBe(1);
    s.clock.advance(1_000);
    // The kill's own render-process-gone is the same failure: one reload, not two.
    expect(s.contents.loads).toEqual(['app://kiosk/']);
    s.clock.advance(60_000);
    expect(s.contents.loads).toEqual(['app://kiosk/']);
  });

  it('leaves a renderer alone that recovers by itself', () => {
    const s = setup();
    s.win.emit('unresponsive');
    s.clock.advance(5_000);
    s.win.emit('responsive');
    s.clock.advance(60_000);
    expect(s.contents.crashed).toBe(0);
    expect(s.contents.loads).toEqual([]);
  });

  it('does nothing while the app is quitting', () => {
    const s = setup();
    s.quit();
    s.contents.emit('render-process-gone', {}, { reason: 'clean-exit', exitCode: 0 });
    s.clock.advance(60_000);
    expect(s.contents.loads).toEqual([]);
    expect(s.app.relaunch).not.toHaveBeenCalled();
  });

  it('logs child-process crashes and relaunches only when they repeat', () => {
    const s = setup();
    const gpu = { type: 'GPU', reason: 'crashed', exitCode: 1 };
    for (let i = 0; i < 4; i++) s.app.emit('child-process-gone', {}, gpu);
    expect(s.app.relaunch).not.toHaveBeenCalled();
    expect(s.log).toHaveBeenCalledWith('child-process-gone', expect.objectContaining({ type: 'GPU' }));
    s.app.emit('child-process-gone', {}, gpu);
    expect(s.app.relaunch).toHaveBeenCalledTimes(1);
  });

  it('tells the content store when the renderer dies, before the reload, but not while quitting', () => {
    const gone = vi.fn();
    const s = setup(gone);
    s.crash();
    expect(gone).toHaveBeenCalledWith('crashed');
    expect(s.contents.loads).toEqual([]);
    s.quit();
    s.contents.emit('render-process-gone', {}, { reason: 'clean-exit', exitCode: 0 });
    expect(gone).toHaveBeenCalledTimes(1);
  });

  it('relaunches through the given restart (npm start supervises) instead of app.relaunch', () => {
    const restart = vi.fn();
    const s = setup(undefined, restart);
    for (let i = 0; i < DEFAULT_RECOVERY_POLICY.relaunchAt; i++) {
      s.crash();
      s.clock.advance(60_000);
    }
    expect(restart).toHaveBeenCalledTimes(1);
    expect(s.app.relaunch).not.toHaveBeenCalled();
  });

  it('still reloads when the content-store hook throws', () => {
    const s = setup(() => {
      throw new Error('store unreadable');
    });
    s.crash();
    s.clock.advance(1_000);
    expect(s.contents.loads).toEqual(['app://kiosk/']);
  });

  it('cancels a pending reload on shutdown', () => {
    const s = setup();
    s.crash();
    s.stop();
    s.clock.advance(60_000);
    expect(s.contents.loads).toEqual([]);
  });

  it('counts each reload and relaunch with why: crash, hang or failed load, once each', () => {
    const restarts: RestartReason[] = [];
    const s = setup(undefined, undefined, (reason) => restarts.push(reason));
    s.crash();
    // Counted when the screen is reloaded, not when the reload is only planned.
    expect(restarts).toEqual([]);
    s.clock.advance(1_000);
    expect(restarts).toEqual(['crash']);
    s.contents.emit('did-fail-load', {}, -6, 'ERR_FILE_NOT_FOUND', 'app://kiosk/', true);
    s.clock.advance(2_000);
    expect(restarts).toEqual(['crash', 'load-failed']);
    // The third failure relaunches the app: counted as it happens (this process is about to go).
    s.win.emit('unresponsive');
    s.clock.advance(DEFAULT_RECOVERY_POLICY.unresponsiveGraceMs);
    expect(s.app.relaunch).toHaveBeenCalledTimes(1);
    // The kill of the hung renderer ends it: the same failure, counted once.
    expect(restarts).toEqual(['crash', 'load-failed', 'hang']);
  });

  it('counts nothing while quitting, and a throwing counter does not stop the reload', () => {
    const counted = vi.fn();
    const quiet = setup(undefined, undefined, counted);
    quiet.quit();
    quiet.crash();
    quiet.clock.advance(60_000);
    expect(counted).not.toHaveBeenCalled();
    const s = setup(undefined, undefined, () => {
      throw new Error('registry gone');
    });
    s.crash();
    s.clock.advance(1_000);
    expect(s.contents.loads).toEqual(['app://kiosk/']);
  });

  it('counts the relaunch after repeated helper-process crashes as a crash', () => {
    const restarts: RestartReason[] = [];
    const s = setup(undefined, undefined, (reason) => restarts.push(reason));
    for (let i = 0; i < DEFAULT_RECOVERY_POLICY.maxFailures; i++)
      s.app.emit('child-process-gone', {}, { type: 'GPU', reason: 'crashed', exitCode: 1 });
    expect(s.app.relaunch).toHaveBeenCalledTimes(1);
    expect(restarts).toEqual(['crash']);
  });
});
