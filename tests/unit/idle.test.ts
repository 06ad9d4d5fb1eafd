import { describe, expect, it } from 'vitest';
import { IdleMachine } from '../../src/lib/idle.js';

/** A clock the test moves by hand. */
function fakeClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('IdleMachine', () => {
  it('stays active until the idle time has passed, then warns, then expires', () => {
    const clock = fakeClock();
    const m = new IdleMachine({ idleMs: 10_000, countdownMs: 5_000, now: clock.now });
    expect(m.phase()).toEqual({ kind: 'active' });
    clock.advance(9_999);
    expect(m.phase().kind).toBe('active');
    clock.advance(1);
    expect(m.phase()).toEqual({ kind: 'warning', remainingMs: 5_000 });
    clock.advance(3_000);
    expect(m.phase()).toEqual({ kind: 'warning', remainingMs: 2_000 });
    clock.advance(2_000);
    expect(m.phase()).toEqual({ kind: 'expired' });
  });

  it('measures wall-clock time, so a long stall jumps straight to expired', () => {
    const clock = fakeClock();
    const m = new IdleMachine({ idleMs: 10_000, countdownMs: 5_000, now: clock.now });
    // No phase() calls in between: nothing is counted, only the clock is read.
    clock.advance(60_000);
    expect(m.phase()).toEqual({ kind: 'expired' });
  });

  it('restarts the idle period on activity, also during the warning', () => {
    const clock = fakeClock();
    const m = new IdleMachine({ idleMs: 10_000, countdownMs: 5_000, now: clock.now });
    clock.advance(12_000);
    expect(m.phase().kind).toBe('warning');
    m.activity();
    expect(m.phase().kind).toBe('active');
    clock.advance(9_000);
    expect(m.phase().kind).toBe('active');
  });

  it('never goes idle while held, and starts afresh on release', () => {
    const clock = fakeClock();
    const m = new IdleMachine({ idleMs: 10_000, countdownMs: 5_000, now: clock.now });
    m.hold('narration');
    clock.advance(120_000);
    expect(m.phase().kind).toBe('active');
    expect(m.held).toBe(true);
    m.release('narration');
    expect(m.held).toBe(false);
    clock.advance(9_000);
    expect(m.phase().kind).toBe('active');
    clock.advance(1_000);
    expect(m.phase().kind).toBe('warning');
  });

  it('keeps holding until every reason is released', () => {
    const clock = fakeClock();
    const m = new IdleMachine({ idleMs: 10_000, countdownMs: 5_000, now: clock.now });
    m.hold('narration');
    m.hold('video');
    m.release('narration');
    clock.advance(30_000);
    expect(m.phase().kind).toBe('active');
    m.release('video');
    clock.advance(15_000);
    expect(m.phase().kind).toBe('expired');
  });

  it('releasing a reason that was never held changes nothing', () => {
    const clock = fakeClock();
    const m = new IdleMachine({ idleMs: 10_000, countdownMs: 5_000, now: clock.now });
    clock.advance(11_000);
    m.release('narration');
    expect(m.phase().kind).toBe('warning');
  });

  it('applies new timing to the running idle period', () => {
    const clock = fakeClock();
    const m = new IdleMachine({ idleMs: 90_000, countdownMs: 15_000, now: clock.now });
    clock.advance(6_000);
    m.setTiming(5_000, 3_000);
    expect(m.phase()).toEqual({ kind: 'warning', remainingMs: 2_000 });
    expect(m.msUntilChange()).toBe(2_000);
  });
});
