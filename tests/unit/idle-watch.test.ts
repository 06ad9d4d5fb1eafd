import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IdleWatch } from '../../src/lib/idle.svelte.js';

describe('IdleWatch (the reactive idle timer)', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => vi.useRealTimers());

  it('warns after the idle time, counts down, then expires once and starts over', () => {
    const watch = new IdleWatch();
    const expired = vi.fn();
    watch.onExpire(expired);
    watch.configure(5, 3);
    watch.setEnabled(true);
    vi.advanceTimersByTime(4_900);
    expect(watch.phase).toBe('active');
    vi.advanceTimersByTime(200);
    expect(watch.phase).toBe('warning');
    vi.advanceTimersByTime(1_000);
    expect(watch.remainingMs).toBeLessThanOrEqual(2_000);
    expect(watch.remainingMs).toBeGreaterThan(1_500);
    vi.advanceTimersByTime(2_100);
    expect(expired).toHaveBeenCalledOnce();
    expect(watch.phase).toBe('active');
    watch.dispose();
  });

  it('does nothing while disabled (the attract loop is showing)', () => {
    const watch = new IdleWatch();
    const expired = vi.fn();
    watch.onExpire(expired);
    watch.configure(5, 3);
    vi.advanceTimersByTime(60_000);
    expect(watch.phase).toBe('active');
    expect(expired).not.toHaveBeenCalled();
    watch.dispose();
  });

  it('activity during the warning dismisses it; a hold keeps it away until released', () => {
    const watch = new IdleWatch();
    watch.configure(5, 3);
    watch.setEnabled(true);
    vi.advanceTimersByTime(6_000);
    expect(watch.phase).toBe('warning');
    watch.activity();
    expect(watch.phase).toBe('active');
    watch.hold('narration');
    vi.advanceTimersByTime(60_000);
    expect(watch.phase).toBe('active');
    watch.release('narration');
    vi.advanceTimersByTime(5_100);
    expect(watch.phase).toBe('warning');
    watch.dispose();
  });

  it('measures the wall clock: after a machine sleep past the countdown, the visit expires at the next check', () => {
    const watch = new IdleWatch();
    const expired = vi.fn();
    watch.onExpire(expired);
    watch.configure(5, 3);
    watch.setEnabled(true);
    // The machine slept: the clock moved but no timer ran in between.
    vi.setSystemTime(Date.now() + 3_600_000);
    vi.advanceTimersToNextTimer();
    expect(expired).toHaveBeenCalledOnce();
    watch.dispose();
  });
});
