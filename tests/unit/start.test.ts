import { EventEmitter } from 'node:events';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  KioskSupervisor,
  RELAUNCH_BACKOFF_MS,
  STABLE_RUN_MS,
  chromiumKioskArgs,
  DEFAULT_KIOSK_PORT,
  findElectronBinary,
  hasDisplay,
  kioskPort,
  kioskProfileDir,
  parseXdpyinfoDimensions,
  planStart,
  relaunchDelay,
  startLine,
  chromiumSupervisor,
  type StartPlan,
  type SupervisedChild,
  type SupervisorDeps,
} from '../../main/cli/launcher.js';
import { createKioskMetrics } from '../../main/metrics/metrics.js';

function fakeFs(files: Record<string, string>) {
  return { exists: (f: string) => f in files, readFile: (f: string) => files[f] ?? '' };
}

describe('findElectronBinary', () => {
  const dir = '/app/node_modules/electron';

  it('finds the binary named in path.txt under dist/', () => {
    const bin = path.join(dir, 'dist', 'electron');
    const r = findElectronBinary(dir, {}, fakeFs({ [path.join(dir, 'path.txt')]: 'electron', [bin]: '' }));
    expect(r).toEqual({ ok: true, path: bin });
  });

  it('reports a package installed without its binary (the offline install), without downloading', () => {
    const r = findElectronBinary(dir, {}, fakeFs({}));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/not installed/);
    const half = findElectronBinary(dir, {}, fakeFs({ [path.join(dir, 'path.txt')]: 'electron' }));
    expect(half.ok).toBe(false);
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH', () => {
    const r = findElectronBinary(
      dir,
      { ELECTRON_OVERRIDE_DIST_PATH: '/opt/electron' },
      fakeFs({ '/opt/electron/electron': '' }),
    );
    expect(r).toEqual({ ok: true, path: '/opt/electron/electron' });
  });

  it('reports a missing electron package', () => {
    expect(findElectronBinary(undefined, {}, fakeFs({})).ok).toBe(false);
  });
});

describe('planStart', () => {
  const noElectron = { ok: false as const, reason: 'the Electron binary is not installed' };
  const chromium = { ok: true as const, path: '/usr/bin/chromium', from: 'system' };
  const x11 = { DISPLAY: ':0' };

  it('uses Electron when its binary is there', () => {
    const plan = planStart({
      platform: 'linux',
      env: x11,
      electron: { ok: true, path: '/e/electron' },
      open: true,
    });
    expect(plan).toEqual({ mode: 'electron', binary: '/e/electron' });
  });

  it('falls back to Chromium kiosk app mode when Electron is missing', () => {
    const plan = planStart({
      platform: 'linux',
      env: x11,
      electron: noElectron,
      browser: chromium,
      open: true,
    });
    expect(plan).toMatchObject({ mode: 'chromium', browser: '/usr/bin/chromium' });
  });

  it('only serves when there is no display, even with Electron installed', () => {
    for (const electron of [noElectron, { ok: true as const, path: '/e/electron' }]) {
      const plan = planStart({ platform: 'linux', env: {}, electron, browser: chromium, open: true });
      expect(plan).toMatchObject({ mode: 'serve', why: 'no-display' });
    }
    expect(hasDisplay('linux', { WAYLAND_DISPLAY: 'wayland-0' })).toBe(true);
    expect(hasDisplay('win32', {})).toBe(true);
  });

  it('only serves with --no-open, or when no browser exists', () => {
    expect(planStart({ platform: 'linux', env: x11, electron: noElectron, open: false })).toMatchObject({
      mode: 'serve',
      why: 'no-open',
    });
    const none = planStart({
      platform: 'linux',
      env: x11,
      electron: noElectron,
      browser: { ok: false, message: 'No Chromium found: install one' },
      open: true,
    });
    expect(none).toMatchObject({
      mode: 'serve',
      why: 'no-browser',
      detail: 'No Chromium found: install one',
    });
  });
});

describe("npm start's port", () => {
  it('is the same fixed port at every start unless --port is given, so the kiosk keeps one origin and its caches', () => {
    // The documented port (docs/deploy.md): the kiosk browser's origin, and its caches, depend on it.
    expect(kioskPort(undefined)).toBe(8487);
    expect(DEFAULT_KIOSK_PORT).toBe(8487);
    // A registered-range port no outgoing connection is handed (ephemeral ranges start at 32768 on Linux, 49152 elsewhere).
    expect(DEFAULT_KIOSK_PORT).toBeGreaterThan(1023);
    expect(DEFAULT_KIOSK_PORT).toBeLessThan(32768);
  });

  it('takes --port N over it, --port 0 meaning any free port', () => {
    expect(kioskPort(9123)).toBe(9123);
    expect(kioskPort(0)).toBe(0);
  });
});

describe('startLine', () => {
  it('says in one line that Electron is missing and the same kiosk runs in Chromium', () => {
    const plan: StartPlan = { mode: 'chromium', browser: '/usr/bin/chromium', electronReason: 'x' };
    const line = startLine(plan, 'http://127.0.0.1:4173/');
    expect(line).toMatch(/Electron's binary isn't available \(offline install\)/);
    expect(line).toMatch(/Chromium kiosk app mode/);
    expect(line).toContain('http://127.0.0.1:4173/');
    expect(line).not.toContain('\n');
  });

  it('prints the URL when it only serves', () => {
    const line = startLine(
      { mode: 'serve', why: 'no-display', detail: 'no display' },
      'http://127.0.0.1:4173/',
    );
    expect(line).toContain('http://127.0.0.1:4173/');
    expect(line).not.toContain('\n');
  });
});

describe('Chromium kiosk command line', () => {
  it('runs fullscreen app mode on a dedicated profile with the quiet flags', () => {
    const args = chromiumKioskArgs('http://127.0.0.1:5000/', '/home/k/.config/vitrine/chromium-kiosk', {
      noSandbox: false,
    });
    expect(args).toContain('--kiosk');
    expect(args).toContain('--app=http://127.0.0.1:5000/');
    expect(args).toContain('--user-data-dir=/home/k/.config/vitrine/chromium-kiosk');
    expect(args).toContain('--no-first-run');
    expect(args).toContain('--disable-pinch');
    expect(args).not.toContain('--no-sandbox');
    // Chromium honours only the last --disable-features, so there must be exactly one.
    expect(args.filter((a) => a.startsWith('--disable-features=')).length).toBe(1);
  });

  it('sizes the window to the screen when there is no window manager to do it', () => {
    const args = chromiumKioskArgs('http://x/', '/p', {
      noSandbox: true,
      screen: { width: 1080, height: 1920 },
    });
    expect(args).toContain('--window-position=0,0');
    expect(args).toContain('--window-size=1080,1920');
    expect(args).toContain('--no-sandbox');
    expect(parseXdpyinfoDimensions('  dimensions:    1920x1080 pixels (508x285 millimeters)')).toEqual({
      width: 1920,
      height: 1080,
    });
    expect(parseXdpyinfoDimensions('nothing useful')).toBeUndefined();
  });

  it('keeps the profile apart from everyday browsing, per platform', () => {
    expect(kioskProfileDir('linux', {}, '/home/k')).toBe('/home/k/.config/vitrine/chromium-kiosk');
    expect(kioskProfileDir('linux', { XDG_CONFIG_HOME: '/cfg' }, '/home/k')).toBe(
      '/cfg/vitrine/chromium-kiosk',
    );
    expect(kioskProfileDir('darwin', {}, '/Users/k')).toBe(
      '/Users/k/Library/Application Support/Vitrine/chromium-kiosk',
    );
    expect(kioskProfileDir('win32', { LOCALAPPDATA: 'C:\\Users\\k\\AppData\\Local' }, 'C:\\Users\\k')).toBe(
      'C:\\Users\\k\\AppData\\Local\\Vitrine\\chromium-kiosk',
    );
  });
});

describe('KioskSupervisor', () => {
  class FakeChild extends EventEmitter {
    kill = vi.fn(() => true);
  }

  /** A supervisor on a fake clock and fake processes; `make` builds it (default a plain {@link KioskSupervisor}). */
  function supervise(
    make: (deps: SupervisorDeps) => KioskSupervisor = (deps) =>
      new KioskSupervisor('/usr/bin/chromium', ['--kiosk'], deps),
  ) {
    let t = 0;
    const timers: Array<{ at: number; fn: () => void; id: number }> = [];
    const children: FakeChild[] = [];
    const onEnd = vi.fn();
    const log = vi.fn();
    const sup = make({
      spawn: () => {
        const c = new FakeChild();
        children.push(c);
        return c as unknown as SupervisedChild;
      },
      now: () => t,
      setTimeout: (fn, ms) => {
        const id = timers.length + 1;
        timers.push({ at: t + ms, fn, id });
        return id;
      },
      clearTimeout: (id) => {
        const i = timers.findIndex((x) => x.id === id);
        if (i >= 0) timers.splice(i, 1);
      },
      name: 'kiosk browser',
      log,
      onEnd,
      fatalCodes: [2],
    });
    const advance = (ms: number) => {
      t += ms;
      for (const x of timers.filter((x) => x.at <= t)) {
        timers.splice(timers.indexOf(x), 1);
        x.fn();
      }
    };
    return { sup, children, onEnd, log, advance };
  }

  it('relaunches a crashed browser after a growing pause', () => {
    const s = supervise();
    s.sup.start();
    expect(s.children).toHaveLength(1);
    s.children[0]!.emit('exit', null, 'SIGSEGV');
    s.advance(RELAUNCH_BACKOFF_MS[0] - 1);
    expect(s.children).toHaveLength(1);
    s.advance(1);
    expect(s.children).toHaveLength(2);
    s.children[1]!.emit('exit', 1, null);
    s.advance(RELAUNCH_BACKOFF_MS[0]);
    expect(s.children).toHaveLength(2);
    s.advance(RELAUNCH_BACKOFF_MS[1] - RELAUNCH_BACKOFF_MS[0]);
    expect(s.children).toHaveLength(3);
    expect(s.log).toHaveBeenCalledWith(expect.stringMatching(/restarting it in 1 s/));
  });

  it('starts the back-off afresh after a long healthy run', () => {
    const s = supervise();
    s.sup.start();
    s.children[0]!.emit('exit', 1, null);
    s.advance(1_000);
    s.advance(STABLE_RUN_MS);
    s.children[1]!.emit('exit', 1, null);
    s.advance(RELAUNCH_BACKOFF_MS[0]);
    expect(s.children).toHaveLength(3);
  });

  it('keeps trying at the longest pause, forever', () => {
    expect(relaunchDelay(1)).toBe(1_000);
    expect(relaunchDelay(50)).toBe(RELAUNCH_BACKOFF_MS[RELAUNCH_BACKOFF_MS.length - 1]);
  });

  it('retries when the browser cannot even start', () => {
    const s = supervise();
    s.sup.start();
    s.children[0]!.emit('error', new Error('EACCES'));
    s.advance(1_000);
    expect(s.children).toHaveLength(2);
  });

  it('by default (the Electron kiosk, whose only clean exit is staff closing it) ends on a clean exit', () => {
    const s = supervise();
    s.sup.start();
    s.children[0]!.emit('exit', 0, null);
    s.advance(60_000);
    expect(s.children).toHaveLength(1);
    expect(s.onEnd).toHaveBeenCalledWith(0);
  });

  it('gives up on an exit code that relaunching cannot fix, and passes it on', () => {
    const s = supervise();
    s.sup.start();
    s.children[0]!.emit('exit', 2, null);
    s.advance(60_000);
    expect(s.children).toHaveLength(1);
    expect(s.onEnd).toHaveBeenCalledWith(2);
  });

  it('stops without relaunching and closes the browser', () => {
    const s = supervise();
    s.sup.start();
    s.sup.stop();
    expect(s.children[0]!.kill).toHaveBeenCalled();
    s.children[0]!.emit('exit', null, 'SIGTERM');
    s.advance(60_000);
    expect(s.children).toHaveLength(1);
    expect(s.onEnd).not.toHaveBeenCalled();
  });

  it("counts each relaunch of the kiosk browser in the kiosk's metrics, and not a stop it was asked for", async () => {
    const metrics = createKioskMetrics({ content: () => undefined, schedule: () => 'showing' });
    const restarts = async (reason: string) => {
      const text = await metrics.text();
      const line = text
        .split('\n')
        .find((l) => l.startsWith(`vitrine_renderer_restarts_total{reason="${reason}"}`));
      return Number(line?.split(' ').pop());
    };
    const s = supervise((deps) => chromiumSupervisor('/usr/bin/chromium', ['--kiosk'], { ...deps, metrics }));
    s.sup.start();
    s.children[0]!.emit('exit', null, 'SIGSEGV');
    // Counted when the browser comes back, not while it waits for the back-off.
    expect(await restarts('crash')).toBe(0);
    s.advance(RELAUNCH_BACKOFF_MS[0]);
    expect(await restarts('crash')).toBe(1);
    // Alt+F4 is not the way out of the kiosk: the browser comes back, and that is counted too.
    s.children[1]!.emit('exit', 0, null);
    s.advance(RELAUNCH_BACKOFF_MS[1]);
    expect(await restarts('crash')).toBe(2);
    s.children[2]!.emit('error', new Error('EACCES'));
    s.advance(RELAUNCH_BACKOFF_MS[2]);
    expect(await restarts('start-failed')).toBe(1);
    s.sup.stop();
    s.children[3]!.emit('exit', null, 'SIGTERM');
    s.advance(60_000);
    expect(s.children).toHaveLength(4);
    expect(await restarts('crash')).toBe(2);
  });
});
