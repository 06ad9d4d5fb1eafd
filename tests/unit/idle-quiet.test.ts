/**
 * An untouched kiosk between visitors' touches: the idle timer wakes once,
 * when the "Still there?" countdown is due, not every second, so a screen
 * left alone for months does no work and makes no garbage while it waits.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IdleWatch } from '../../src/lib/idle.svelte.js';

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
  it('sleeps until the countdown is due, then warns on time', () => {
    idle.setEnabled(true);
    const wakeUps = vi.spyOn(globalThis, 'setTimeout');
    vi.advanceTimersByTime(89_000);
    expect(idle.phase).toBe('active');
    expect(wakeUps).not.toHaveBeenCalled();
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
