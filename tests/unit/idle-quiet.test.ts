/**
 * An untouched kiosk between visitors' touches: the idle timer wakes when
 * the "Still there?" countdown is due (or every half minute, to notice a
 * machine's sleep), not every second, so a screen left alone does almost no
 * work while it waits.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IdleWatch, SLEEP_CHECK_MS } from '../../src/lib/idle.svelte.js';

let idle: IdleWatch;

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
  idle = new IdleWatch();
  idle.configure(90, 15);
});
afterEach(() => {
  idle.dispose();
  vi.useRealTimers();
});

describe('the idle timer while nobody touches', () => {
  it('wakes at most every half minute until the countdown is due, then warns on time', () => {
    idle.setEnabled(true);
    const wakeUps = vi.spyOn(globalThis, 'setTimeout');
    vi.advanceTimersByTime(89_000);
    expect(idle.phase).toBe('active');
    expect(wakeUps.mock.calls.length).toBeLessThanOrEqual(Math.ceil(90_000 / SLEEP_CHECK_MS));
    vi.advanceTimersByTime(1_000);
    expect(idle.phase).toBe('warning');
  });

  it('a touch moves the one wake-up instead of adding one', () => {
    idle.setEnabled(true);
    vi.advanceTimersByTime(60_000);
    idle.activity();
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(89_000);
    expect(idle.phase).toBe('active');
    vi.advanceTimersByTime(1_000);
    expect(idle.phase).toBe('warning');
  });
});

describe('the idle timer after a machine sleep', () => {
  it('notices within half a minute of waking that the visitor has gone, however long the idle time', () => {
    idle.configure(600, 15);
    const expired = vi.fn();
    idle.onExpire(expired);
    idle.setEnabled(true);
    // The machine slept an hour: the wall clock moved, no timer ran.
    vi.setSystemTime(Date.now() + 3_600_000);
    vi.advanceTimersByTime(SLEEP_CHECK_MS);
    expect(expired).toHaveBeenCalledOnce();
  });
});
