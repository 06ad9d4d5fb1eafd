import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { keepDisplayAwake } from '../../main/electron/power.js';
import { claimSingleInstance } from '../../main/electron/single-instance.js';

describe('keepDisplayAwake', () => {
  it('holds a prevent-display-sleep blocker until released', () => {
    const started = new Set<number>();
    const blocker = {
      start: vi.fn((_type: string) => {
        started.add(7);
        return 7;
      }),
      stop: vi.fn((id: number) => started.delete(id)),
      isStarted: (id: number) => started.has(id),
    };
    const awake = keepDisplayAwake(blocker);
    expect(blocker.start).toHaveBeenCalledWith('prevent-display-sleep');
    expect(awake.active()).toBe(true);
    awake.release();
    awake.release();
    expect(awake.active()).toBe(false);
    expect(blocker.stop).toHaveBeenCalledTimes(1);
  });
});

describe('claimSingleInstance', () => {
  function fakeApp(lock: boolean) {
    return Object.assign(new EventEmitter(), { requestSingleInstanceLock: () => lock, quit: vi.fn() });
  }
  function fakeWindow(minimized: boolean) {
    return { isMinimized: () => minimized, restore: vi.fn(), show: vi.fn(), focus: vi.fn() };
  }

  it('quits a second copy at once', () => {
    const app = fakeApp(false);
    expect(claimSingleInstance(app, () => undefined)).toBe(false);
    expect(app.quit).toHaveBeenCalled();
  });

  it('brings the running kiosk forward when a second copy starts', () => {
    const app = fakeApp(true);
    const win = fakeWindow(true);
    expect(claimSingleInstance(app, () => win)).toBe(true);
    expect(app.quit).not.toHaveBeenCalled();
    app.emit('second-instance');
    expect(win.restore).toHaveBeenCalled();
    expect(win.focus).toHaveBeenCalled();
  });
});
