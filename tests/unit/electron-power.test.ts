import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { ScheduleStatus } from '../../main/contract/schedule.js';
import { keepDisplayAwake, keepDisplayAwakeWhileOpen } from '../../main/electron/power.js';
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

describe('keepDisplayAwakeWhileOpen', () => {
  /** A blocker that, like Electron's, hands out a new id per start. */
  function fakeBlocker() {
    const started = new Set<number>();
    let next = 1;
    return {
      started,
      start: vi.fn((_type: string) => {
        started.add(next);
        return next++;
      }),
      stop: vi.fn((id: number) => started.delete(id)),
      isStarted: (id: number) => started.has(id),
    };
  }
  function fakeSchedule(first: ScheduleStatus) {
    let current = first;
    const fns = new Set<(s: ScheduleStatus) => void>();
    return {
      status: () => current,
      subscribe(fn: (s: ScheduleStatus) => void) {
        fns.add(fn);
        return () => fns.delete(fn);
      },
      set(s: ScheduleStatus) {
        current = s;
        for (const fn of fns) fn(s);
      },
    };
  }

  it('lets the display sleep while scheduled off and keeps it awake again at opening', () => {
    const blocker = fakeBlocker();
    const schedule = fakeSchedule({ state: 'scheduled-off', nextChange: '2026-11-30T08:00:00.000Z' });
    const events: string[] = [];
    const awake = keepDisplayAwakeWhileOpen(blocker, schedule, (e) => events.push(e));
    expect(blocker.start).not.toHaveBeenCalled();
    expect(awake.active()).toBe(false);

    schedule.set({ state: 'open', nextChange: '2026-11-30T17:00:00.000Z' });
    expect(blocker.start).toHaveBeenCalledWith('prevent-display-sleep');
    expect(awake.active()).toBe(true);
    // A new next change while still open takes no second blocker.
    schedule.set({ state: 'open', nextChange: '2026-11-30T18:00:00.000Z' });
    expect(blocker.started.size).toBe(1);

    schedule.set({ state: 'scheduled-off', nextChange: '2026-12-01T08:00:00.000Z' });
    expect(awake.active()).toBe(false);
    expect(blocker.started.size).toBe(0);
    expect(events).toEqual(['display-awake', 'display-may-sleep']);

    schedule.set({ state: 'open' });
    expect(awake.active()).toBe(true);
    awake.release();
    expect(blocker.started.size).toBe(0);
    // After quitting, a change of schedule takes no blocker.
    schedule.set({ state: 'scheduled-off' });
    schedule.set({ state: 'open' });
    expect(blocker.started.size).toBe(0);
  });

  it('keeps an always-open kiosk awake from the start', () => {
    const blocker = fakeBlocker();
    const awake = keepDisplayAwakeWhileOpen(blocker, fakeSchedule({ state: 'always-open' }));
    expect(awake.active()).toBe(true);
    expect(blocker.start).toHaveBeenCalledTimes(1);
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
