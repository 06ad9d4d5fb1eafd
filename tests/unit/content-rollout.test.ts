/**
 * How a new content version reaches the screen, and when the kiosk takes it
 * back by itself: the rollout state machine on a fake clock, no files.
 */
import { describe, expect, it } from 'vitest';
import { reduceRollout, Rollout, type RolloutClock, INITIAL_ROLLOUT } from '../../main/content/rollout.js';

/** A clock that moves only when told to. */
function fakeClock(start = Date.UTC(2026, 0, 1)) {
  let t = start;
  let timers: { at: number; fn: () => void }[] = [];
  const clock: RolloutClock = {
    now: () => t,
    after(ms, fn) {
      const timer = { at: t + ms, fn };
      timers.push(timer);
      return () => {
        timers = timers.filter((x) => x !== timer);
      };
    },
  };
  return {
    clock,
    /** Moves time on by `ms`, firing every timer that falls due. */
    advance(ms: number) {
      t += ms;
      const due = timers.filter((x) => x.at <= t);
      timers = timers.filter((x) => x.at > t);
      for (const x of due) x.fn();
    },
    get timers() {
      return timers.length;
    },
  };
}

/** A rollout over a pretend store where every version can go back to the one before it. */
function setup(confirmMs = 30_000) {
  const time = fakeClock();
  const rollbacks: { version: string; reason: string }[] = [];
  const history: string[] = [];
  let changes = 0;
  const rollout: Rollout = new Rollout({
    confirmMs,
    clock: time.clock,
    async rollBack(version, reason) {
      rollbacks.push({ version, reason });
      if (history.at(-1) !== version || history.length < 2) return undefined;
      history.pop();
      const restored = history.at(-1)!;
      // The owner serves the restored version before the rollout records the rollback.
      rollout.served(restored);
      return restored;
    },
    onChange: () => changes++,
  });
  /** A version installed and served (as the store and the orchestrator do). */
  const install = (version: string) => {
    history.push(version);
    rollout.served(version);
  };
  /** Lets queued promise work run. */
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  return { time, rollout, rollbacks, install, settle, changes: () => changes };
}

describe('content rollout', () => {
  it('starts with the first version unconfirmed and nothing pending, until the renderer draws it', () => {
    const { rollout, install } = setup();
    install('v1');
    rollout.started();
    expect(rollout.state).toEqual({ version: 'v1', confirmed: false });
    rollout.rendered('v1');
    expect(rollout.state).toEqual({ version: 'v1', confirmed: true });
  });

  it('treats a newer version found during start-up as the one it starts with', () => {
    const { rollout, install } = setup();
    install('v1');
    install('v2');
    expect(rollout.state.pending?.version).toBe('v2');
    rollout.started();
    expect(rollout.state).toEqual({ version: 'v2', confirmed: false });
  });

  it('announces a new version as waiting, then applying, and confirms it once drawn', () => {
    const { time, rollout, install, changes } = setup();
    install('v1');
    rollout.started();
    rollout.rendered('v1');
    install('v2');
    expect(rollout.state).toMatchObject({
      version: 'v2',
      confirmed: false,
      pending: { version: 'v2', state: 'waiting', since: '2026-01-01T00:00:00.000Z' },
    });
    expect(time.timers).toBe(0); // no clock runs while the renderer has not started on it

    time.advance(5000);
    rollout.applying('v2');
    expect(rollout.state.pending).toEqual({
      version: 'v2',
      state: 'applying',
      since: '2026-01-01T00:00:05.000Z',
    });
    expect(time.timers).toBe(1);

    const before = changes();
    rollout.rendered('v2');
    expect(rollout.state).toEqual({ version: 'v2', confirmed: true });
    expect(time.timers).toBe(0);
    expect(changes()).toBe(before + 1);
  });

  it('ignores reports about a version that is not the one pending', () => {
    const { rollout, install } = setup();
    install('v1');
    rollout.started();
    install('v2');
    rollout.applying('v1');
    expect(rollout.state.pending?.state).toBe('waiting');
    rollout.rendered('v1');
    expect(rollout.state.confirmed).toBe(false);
  });

  it('rolls back when the renderer fails before it said it was applying the new version', async () => {
    const { rollout, install, rollbacks } = setup();
    install('v1');
    rollout.started();
    rollout.rendered('v1');
    install('v2');
    // A renderer that reloads fetches the newest version at once and may crash before it can say so.
    expect(await rollout.failed('TypeError: y is undefined')).toBe(true);
    expect(rollbacks).toEqual([{ version: 'v2', reason: 'TypeError: y is undefined' }]);
    expect(rollout.state).toMatchObject({ version: 'v1', confirmed: true, pending: undefined });
  });

  it('rolls back when the renderer fails while applying the new version', async () => {
    const { rollout, install, rollbacks } = setup();
    install('v1');
    rollout.started();
    rollout.rendered('v1');
    install('v2');
    rollout.applying('v2');
    expect(await rollout.failed('TypeError: x is undefined')).toBe(true);
    expect(rollbacks).toEqual([{ version: 'v2', reason: 'TypeError: x is undefined' }]);
    expect(rollout.state).toEqual({
      version: 'v1',
      confirmed: true,
      pending: undefined,
      autoRollback: {
        at: '2026-01-01T00:00:00.000Z',
        version: 'v2',
        restored: 'v1',
        reason: 'TypeError: x is undefined',
      },
    });
  });

  it('rolls back when the renderer does not confirm within the confirm time', async () => {
    const { time, rollout, install, rollbacks, settle } = setup(30_000);
    install('v1');
    rollout.started();
    rollout.rendered('v1');
    install('v2');
    rollout.applying('v2');
    time.advance(29_999);
    await settle();
    expect(rollbacks).toEqual([]);
    time.advance(1);
    await settle();
    expect(rollbacks).toEqual([{ version: 'v2', reason: 'the kiosk did not confirm it within 30 s' }]);
    expect(rollout.state).toMatchObject({
      version: 'v1',
      confirmed: true,
      autoRollback: { version: 'v2', restored: 'v1', at: '2026-01-01T00:00:30.000Z' },
    });
  });

  it('never rolls back a version the renderer confirmed, whatever fails later', async () => {
    const { time, rollout, install, rollbacks, settle } = setup();
    install('v1');
    rollout.started();
    install('v2');
    rollout.applying('v2');
    rollout.rendered('v2');
    expect(await rollout.failed('an unrelated audio error')).toBe(false);
    time.advance(60_000);
    await settle();
    expect(rollbacks).toEqual([]);
    expect(rollout.state).toEqual({ version: 'v2', confirmed: true });
  });

  it('does not roll back when the confirmation arrives while the rollback waits its turn', async () => {
    const time = fakeClock();
    let release!: () => void;
    const busy = new Promise<void>((resolve) => (release = resolve));
    const rolledBack: string[] = [];
    const rollout = new Rollout({
      confirmMs: 1000,
      clock: time.clock,
      // The owner's queue is busy (a slow install) when the renderer's error comes in.
      run: (fn) => busy.then(fn),
      rollBack: async (version) => {
        rolledBack.push(version);
        return 'v1';
      },
    });
    rollout.served('v1');
    rollout.served('v2');
    rollout.applying('v2');
    const failed = rollout.failed('late error');
    rollout.rendered('v2');
    release();
    expect(await failed).toBe(false);
    expect(rolledBack).toEqual([]);
  });

  it('a newer version that comes while one is pending replaces it and ends its wait', async () => {
    const { time, rollout, install, rollbacks, settle } = setup(1000);
    install('v1');
    rollout.started();
    rollout.rendered('v1');
    install('v2');
    rollout.applying('v2');
    install('v3');
    expect(rollout.state.pending).toMatchObject({ version: 'v3', state: 'waiting' });
    // The renderer never saw v3, so v2's confirm time must not roll it back.
    time.advance(5000);
    await settle();
    expect(rollbacks).toEqual([]);
    // A late report about v2 changes nothing; v3 gets its own wait once the renderer takes it.
    rollout.rendered('v2');
    expect(rollout.state.confirmed).toBe(false);
    rollout.applying('v3');
    time.advance(1000);
    await settle();
    expect(rollbacks).toEqual([{ version: 'v3', reason: 'the kiosk did not confirm it within 1 s' }]);
    expect(rollout.state).toMatchObject({ version: 'v2', confirmed: true, pending: undefined });
  });

  it('keeps waiting when there is nothing to go back to', async () => {
    const { rollout, rollbacks } = setup();
    // A store with one version only: the owner cannot roll back.
    rollout.served('v1');
    rollout.served('v2');
    rollout.applying('v2');
    expect(await rollout.failed('broken')).toBe(false);
    expect(rollbacks).toHaveLength(1);
    expect(rollout.state).toMatchObject({ version: 'v2', confirmed: false, pending: { state: 'applying' } });
    expect(rollout.state.autoRollback).toBeUndefined();
  });

  it('does nothing after close', async () => {
    const { time, rollout, install, rollbacks, settle } = setup(1000);
    install('v1');
    rollout.started();
    install('v2');
    rollout.applying('v2');
    rollout.close();
    time.advance(5000);
    await settle();
    expect(rollbacks).toEqual([]);
  });
});

describe('rollout reducer', () => {
  it('is pure: an event that changes nothing returns the same state', () => {
    const s = reduceRollout(INITIAL_ROLLOUT, { type: 'served', version: 'v1', at: 'x' });
    expect(reduceRollout(s, { type: 'served', version: 'v1', at: 'y' })).toBe(s);
    expect(reduceRollout(s, { type: 'applying', version: 'v1', at: 'y' })).toBe(s);
    expect(reduceRollout(s, { type: 'started' })).toBe(s);
    expect(INITIAL_ROLLOUT).toEqual({ confirmed: false });
  });
});
