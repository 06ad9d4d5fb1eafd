/**
 * A kiosk whose screen keeps failing ends calm: after too many failures it
 * shows a static resting page, rolls back an unconfirmed content version,
 * keeps the count on disk (so relaunching cannot loop forever) and tries
 * again on a slow, doubling schedule.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { readKioskConfig } from '../../main/kiosk/config.js';
import { START_RETRY_MS, handleStartFailure } from '../../main/electron/start-failure.js';
import {
  FAILURE_FILE,
  fileFailureStore,
  parseFailureRecord,
  type FailureRecord,
} from '../../main/electron/failure-record.js';
import {
  DEFAULT_RECOVERY_POLICY,
  recoveryPolicy,
  superviseRenderer,
  type RecoverableApp,
  type RecoverableContents,
  type RecoverableWindow,
  type RecoveryPolicy,
} from '../../main/electron/recovery.js';
import {
  RESTING_MESSAGE,
  exhibitTitle,
  restingPageHtml,
  restingPageUrl,
} from '../../main/electron/resting.js';

const MIN = 60_000;
const APP = 'app://kiosk/';

class FakeClock {
  t = Date.parse('2026-06-01T10:00:00Z');
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
    const end = this.t + ms;
    for (;;) {
      const due = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = due.at;
      due.fn();
    }
    this.t = end;
  }
}

class FakeContents extends EventEmitter {
  loads: string[] = [];
  isDestroyed = () => false;
  loadURL(url: string) {
    this.loads.push(url);
    return Promise.resolve();
  }
  forcefullyCrashRenderer() {
    this.emit('render-process-gone', {}, { reason: 'killed', exitCode: 9 });
  }
  crash() {
    this.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
  }
  failLoad() {
    this.emit('did-fail-load', {}, -6, 'ERR_FILE_NOT_FOUND', APP, true);
  }
  get last() {
    return this.loads[this.loads.length - 1];
  }
}

const RESTING = restingPageUrl('The Siege of Leningrad');

/** One run of the kiosk's main process: a fresh supervisor over the given record. */
function run(opts: {
  clock: FakeClock;
  record?: FailureRecord;
  policy?: RecoveryPolicy;
  save?: (r: FailureRecord) => Promise<void>;
}) {
  const contents = new FakeContents();
  const win = new EventEmitter();
  const app = Object.assign(new EventEmitter(), { relaunch: vi.fn(), exit: vi.fn() });
  const log = vi.fn();
  const restart = vi.fn();
  const onResting = vi.fn();
  const saved: FailureRecord[] = [];
  const stop = superviseRenderer({
    app: app as unknown as RecoverableApp,
    window: win as unknown as RecoverableWindow,
    contents: contents as unknown as RecoverableContents,
    url: APP,
    restingUrl: () => RESTING,
    clock: opts.clock,
    log,
    isQuitting: () => false,
    onResting,
    restart,
    policy: opts.policy,
    record: opts.record,
    save: opts.save ?? ((r) => void saved.push(structuredClone(r))),
  });
  return { contents, win, app, log, restart, onResting, saved, stop };
}

describe('a crash loop ends on the resting page', () => {
  it('rests after the 5th failure in 10 minutes, and stays calm: no reload, no relaunch', () => {
    const clock = new FakeClock();
    const k = run({ clock });
    // Crashes, hangs and failed loads all count.
    k.contents.crash();
    clock.advance(MIN);
    k.contents.failLoad();
    clock.advance(MIN);
    k.win.emit('unresponsive');
    clock.advance(DEFAULT_RECOVERY_POLICY.unresponsiveGraceMs);
    // The 3rd failure relaunches the app (in this run the relaunch is a fake that returns).
    expect(k.restart).toHaveBeenCalledTimes(1);
    clock.advance(MIN);
    k.contents.crash();
    clock.advance(MIN);
    expect(k.contents.last).toBe(APP);
    k.contents.crash();
    expect(k.contents.last).toBe(RESTING);
    expect(k.onResting).toHaveBeenCalledTimes(1);
    expect(k.log).toHaveBeenCalledWith('resting', expect.objectContaining({ failuresInWindow: 5 }));
    const loads = k.contents.loads.length;
    clock.advance(DEFAULT_RECOVERY_POLICY.restRetryMs - 1);
    expect(k.contents.loads).toHaveLength(loads);
    expect(k.restart).toHaveBeenCalledTimes(1);
    expect(k.app.relaunch).not.toHaveBeenCalled();
  });

  it('tries again after 10 minutes, then 20, 40, 60, 60 while the tries keep failing', () => {
    const clock = new FakeClock();
    const k = run({ clock, policy: { ...DEFAULT_RECOVERY_POLICY, relaunchAt: 0 } });
    for (let i = 0; i < 5; i++) {
      k.contents.crash();
      clock.advance(20_000);
    }
    expect(k.contents.last).toBe(RESTING);
    const pauses: number[] = [];
    let restingSince = clock.now();
    for (let i = 0; i < 5; i++) {
      // Step a minute at a time until the kiosk is tried again.
      while (k.contents.last === RESTING) clock.advance(MIN);
      pauses.push(Math.round((clock.now() - restingSince) / MIN));
      expect(k.contents.last).toBe(APP);
      k.contents.crash();
      expect(k.contents.last).toBe(RESTING);
      restingSince = clock.now();
    }
    expect(pauses).toEqual([10, 20, 40, 60, 60]);
    expect(k.restart).not.toHaveBeenCalled();
  });

  it('ends the rest once a try runs cleanly, and counts afresh', () => {
    const clock = new FakeClock();
    const k = run({ clock, policy: { ...DEFAULT_RECOVERY_POLICY, relaunchAt: 0 } });
    for (let i = 0; i < 5; i++) (k.contents.crash(), clock.advance(20_000));
    clock.advance(DEFAULT_RECOVERY_POLICY.restRetryMs + DEFAULT_RECOVERY_POLICY.healthyAfterMs);
    expect(k.contents.last).toBe(APP);
    expect(k.log).toHaveBeenCalledWith('recovered', expect.anything());
    expect(k.saved.at(-1)).toEqual({ failures: [] });
    // A single crash now is an ordinary one: reloaded after a second.
    k.contents.crash();
    clock.advance(1_000);
    expect(k.contents.last).toBe(APP);
  });

  it('shows the resting page again, without counting, if the resting page itself crashes', () => {
    const clock = new FakeClock();
    const k = run({ clock, policy: { ...DEFAULT_RECOVERY_POLICY, relaunchAt: 0 } });
    for (let i = 0; i < 5; i++) (k.contents.crash(), clock.advance(10_000));
    k.contents.crash();
    clock.advance(60_000);
    expect(k.contents.last).toBe(RESTING);
    expect(k.onResting).toHaveBeenCalledTimes(1);
  });

  it('takes the limits from config.json', () => {
    const clock = new FakeClock();
    const k = run({ clock, policy: recoveryPolicy({ maxFailures: 2, retryMinutes: 1, retryMaxMinutes: 3 }) });
    k.contents.crash();
    clock.advance(1_000);
    k.contents.crash();
    expect(k.contents.last).toBe(RESTING);
    clock.advance(MIN);
    expect(k.contents.last).toBe(APP);
  });
});

describe('the failure count survives relaunches', () => {
  const userData = mkdtempSync(path.join(tmpdir(), 'vitrine-fault-recovery-'));
  afterAll(() => rmSync(userData, { recursive: true, force: true }));

  it('a relaunch loop ends calm: the run after the relaunch keeps counting, the next starts resting', async () => {
    const clock = new FakeClock();
    const log = vi.fn();
    const store = fileFailureStore(userData, log);
    // Run 1: three crashes, the third relaunches.
    const first = run({ clock, record: await store.load() });
    for (const r of first.saved) store.save(r);
    for (let i = 0; i < 3; i++) {
      first.contents.crash();
      clock.advance(5_000);
    }
    for (const r of first.saved) store.save(r);
    await store.flush();
    expect(first.restart).toHaveBeenCalledTimes(1);
    first.stop();
    // Run 2 (the relaunched process) reads the three from disk: two more crashes and it rests.
    const second = run({ clock, record: await store.load() });
    second.contents.crash();
    clock.advance(20_000);
    second.contents.crash();
    expect(second.contents.last).toBe(RESTING);
    expect(second.restart).not.toHaveBeenCalled();
    for (const r of second.saved) store.save(r);
    await store.flush();
    second.stop();
    // Run 3 (systemd or a technician restarts it): straight to the resting page, never the kiosk first.
    clock.advance(MIN);
    const third = run({ clock, record: await store.load() });
    expect(third.contents.loads).toEqual([RESTING]);
    expect(JSON.parse(readFileSync(path.join(userData, FAILURE_FILE), 'utf8')).failures).toHaveLength(5);
    expect(log).not.toHaveBeenCalledWith('failure-record-invalid', expect.anything());
  });

  it('relaunches only once the count is on disk, and ignores the renderer meanwhile', async () => {
    const clock = new FakeClock();
    const records: FailureRecord[] = [];
    let finishWrite: () => void = () => {};
    const k = run({
      clock,
      save: (r) => {
        records.push(structuredClone(r));
        return new Promise<void>((resolve) => (finishWrite = resolve));
      },
    });
    k.contents.crash();
    clock.advance(20_000);
    k.contents.crash();
    clock.advance(20_000);
    // The third failure relaunches, but only after its record is written.
    k.contents.crash();
    expect(records.at(-1)!.failures).toHaveLength(3);
    expect(k.restart).not.toHaveBeenCalled();
    // The renderer ending while the write is pending is not a fourth failure.
    k.contents.crash();
    expect(records.at(-1)!.failures).toHaveLength(3);
    finishWrite();
    await vi.waitFor(() => expect(k.restart).toHaveBeenCalledTimes(1));
  });

  it.each([
    ['empty', ''],
    ['truncated', '{"failures":[178000000'],
    ['garbage', '\u0000\u0000\u0000'],
    ['wrong shape', '{"failures":"five"}'],
  ])('a %s count file reads as zero and is logged', async (_kind, text) => {
    writeFileSync(path.join(userData, FAILURE_FILE), text);
    const log = vi.fn();
    const record = await fileFailureStore(userData, log).load();
    expect(record).toEqual({ failures: [] });
    expect(log).toHaveBeenCalledWith('failure-record-invalid', expect.objectContaining({ counting: 0 }));
    const k = run({ clock: new FakeClock(), record });
    expect(k.contents.loads).toEqual([APP]);
  });

  it('a disk that refuses the count never stops recovery', async () => {
    const log = vi.fn();
    const store = fileFailureStore(userData, log, {
      readFile: () => Promise.reject(Object.assign(new Error('EIO'), { code: 'EIO' })),
      writeFile: () => Promise.reject(Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' })),
    });
    expect(await store.load()).toEqual({ failures: [] });
    store.save({ failures: [1] });
    await store.flush();
    expect(log).toHaveBeenCalledWith('failure-record-unwritable', expect.anything());
    expect(parseFailureRecord('{"failures":[1,2],"restRetryMs":600000}').record).toEqual({
      failures: [1, 2],
      restRetryMs: 600_000,
    });
  });

  it('reads the recovery settings from config.json, dropping only a bad one', async () => {
    writeFileSync(
      path.join(userData, 'config.json'),
      JSON.stringify({ recovery: { maxFailures: 3, windowMinutes: 5 }, inbox: 'in' }),
    );
    expect((await readKioskConfig(userData)).recovery).toEqual({ maxFailures: 3, windowMinutes: 5 });
    writeFileSync(
      path.join(userData, 'config.json'),
      JSON.stringify({ recovery: { maxFailures: 0 }, inbox: 'in' }),
    );
    const notes = vi.fn();
    const config = await readKioskConfig(userData, notes);
    expect(config).toEqual({ inbox: 'in' });
    expect(notes).toHaveBeenCalledWith(expect.objectContaining({ kind: 'invalid' }));
  });
});

describe('the resting page', () => {
  it('shows the exhibit title and "Back soon", with no script, no animation and nothing to load', () => {
    const html = restingPageHtml('Siege <of> "Leningrad"');
    expect(html).toContain('Siege &lt;of&gt; &quot;Leningrad&quot;');
    expect(html).toContain(RESTING_MESSAGE);
    expect(html).not.toMatch(/<script|animation|transition|<img|<link|src=/i);
    expect(html).toContain("default-src 'none'");
    expect(decodeURIComponent(restingPageUrl(undefined).replace(/^data:text\/html;charset=utf-8,/, ''))).toBe(
      restingPageHtml(undefined),
    );
    expect(exhibitTitle({ ru: 'Блокада', en: 'Siege' }, ['en', 'ru'])).toBe('Siege');
    expect(exhibitTitle(undefined)).toBeUndefined();
  });
});

describe('a kiosk that cannot even start', () => {
  const userData = mkdtempSync(path.join(tmpdir(), 'vitrine-fault-start-'));
  afterAll(() => rmSync(userData, { recursive: true, force: true }));

  /** One start of the app that fails after ready (the store or the handler will not set up). */
  async function failedStart(clock: FakeClock) {
    const showResting = vi.fn();
    const restart = vi.fn();
    const log = vi.fn();
    const outcome = await handleStartFailure(new Error('EIO: content store unreadable'), {
      store: fileFailureStore(userData, log),
      policy: DEFAULT_RECOVERY_POLICY,
      clock,
      log,
      showResting,
      restart,
    });
    return { outcome, showResting, restart, log };
  }

  it('restarts after a pause at first, then rests and restarts on the slow schedule', async () => {
    const clock = new FakeClock();
    for (let i = 1; i < DEFAULT_RECOVERY_POLICY.maxFailures; i++) {
      const run = await failedStart(clock);
      expect(run.outcome).toBe('restarting');
      expect(run.showResting).not.toHaveBeenCalled();
      clock.advance(START_RETRY_MS - 1);
      expect(run.restart).not.toHaveBeenCalled();
      clock.advance(1);
      expect(run.restart).toHaveBeenCalledTimes(1);
    }
    // The fifth in ten minutes: the resting page, not another flicker through a restart.
    const fifth = await failedStart(clock);
    expect(fifth.outcome).toBe('resting');
    expect(fifth.showResting).toHaveBeenCalledTimes(1);
    clock.advance(DEFAULT_RECOVERY_POLICY.restRetryMs - 1);
    expect(fifth.restart).not.toHaveBeenCalled();
    clock.advance(1);
    expect(fifth.restart).toHaveBeenCalledTimes(1);
    // Still failing after the rest: the next pause is twice as long.
    const sixth = await failedStart(clock);
    expect(sixth.outcome).toBe('resting');
    clock.advance(2 * DEFAULT_RECOVERY_POLICY.restRetryMs - 1);
    expect(sixth.restart).not.toHaveBeenCalled();
    clock.advance(1);
    expect(sixth.restart).toHaveBeenCalledTimes(1);
    expect(sixth.log).toHaveBeenCalledWith(
      'start-failed',
      expect.objectContaining({ error: expect.stringMatching(/EIO/) }),
    );
    // The restart that finally works is a try: two clean minutes end the rest for good.
    const k = run({ clock, record: await fileFailureStore(userData, vi.fn()).load() });
    expect(k.contents.loads).toEqual([APP]);
    clock.advance(DEFAULT_RECOVERY_POLICY.healthyAfterMs);
    expect(k.saved.at(-1)).toEqual({ failures: [] });
  });
});
