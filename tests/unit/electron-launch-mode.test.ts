/**
 * What an installed kiosk does with its command line and environment: it
 * refuses debugger switches, ignores the development variables, and runs the
 * content CLI in its own binary (`vitrine --content-cli ...`).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runContentCli } from '../../main/kiosk/content-cli.js';
import { loadConfig } from '../../main/electron/config.js';
import { runContentCliMode } from '../../main/electron/content-cli-mode.js';
import { debugSwitches, decideLaunch, kioskChromiumSwitches } from '../../main/electron/launch-mode.js';
import { cleanup, makeContent, tempDir } from './content-fixtures.js';

const DEV_ENV = { VITRINE_DEV: '1', VITRINE_WINDOWED: 'true' };

describe('decideLaunch', () => {
  it.each([
    ['--inspect'],
    ['--inspect=9229'],
    ['--inspect-brk=0.0.0.0:9229'],
    ['--inspect_brk'],
    ['--remote-debugging-port=9222'],
    ['--remote-debugging-pipe'],
  ])('an installed kiosk refuses %s, wherever it stands', (flag) => {
    for (const argv of [[flag], ['--inbox', '/media/usb', flag], [flag, '--content-cli', 'validate', '.']]) {
      const mode = decideLaunch({ isPackaged: true, argv, env: {} });
      expect(mode.kind).toBe('refuse');
      if (mode.kind === 'refuse') expect(mode.message).toMatch(/refusing to start/);
    }
  });

  it('a development run keeps its debugger switches (Playwright drives Electron with them)', () => {
    const mode = decideLaunch({
      isPackaged: false,
      argv: ['main.js', '--inspect=0', '--remote-debugging-port=0'],
      env: {},
    });
    expect(mode).toEqual({ kind: 'kiosk', ignoredEnv: [] });
  });

  it('does not mistake a kiosk flag or a content path for a debugger switch', () => {
    expect(debugSwitches(['--inbox', '/srv/--inspect', '--content', 'inspect', '--inspector'])).toEqual([]);
  });

  it('an installed kiosk ignores VITRINE_DEV and VITRINE_WINDOWED, and says so', () => {
    expect(decideLaunch({ isPackaged: true, argv: [], env: DEV_ENV })).toEqual({
      kind: 'kiosk',
      ignoredEnv: ['VITRINE_DEV', 'VITRINE_WINDOWED'],
    });
    const packaged = loadConfig({ argv: [], env: DEV_ENV, cwd: '/', packaged: true });
    expect(packaged.ok && packaged.config.dev).toBe(false);
    expect(packaged.ok && packaged.config.windowed).toBe(false);
    // A garbled value cannot stop an installed kiosk either: it is not read at all.
    expect(loadConfig({ argv: [], env: { VITRINE_DEV: 'maybe' }, cwd: '/', packaged: true }).ok).toBe(true);
    const dev = loadConfig({ argv: [], env: DEV_ENV, cwd: '/' });
    expect(dev.ok && dev.config.dev && dev.config.windowed).toBe(true);
  });

  it('--content-cli hands everything after it to the content CLI, installed or not', () => {
    for (const isPackaged of [true, false]) {
      expect(
        decideLaunch({ isPackaged, argv: ['--content-cli', 'install', 'pkg.zip', '--store', '/s'], env: {} }),
      ).toEqual({ kind: 'content-cli', args: ['install', 'pkg.zip', '--store', '/s'] });
    }
  });
});

describe('vitrine --content-cli', () => {
  const dirs: string[] = [];
  afterAll(() => cleanup(...dirs));

  async function run(args: string[]) {
    const app = { setName: vi.fn(), exit: vi.fn() };
    const lines: string[] = [];
    const code = await runContentCliMode(args, {
      app,
      // The real content CLI, as the packaged main process loads it; its output captured.
      load: async () => (argv) =>
        runContentCli(argv, { log: (l) => lines.push(l), err: (l) => lines.push(l) }),
      stderr: (l) => lines.push(l),
    });
    return { app, code, lines };
  }

  it('validates a content folder in the main process and exits with the CLI code', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    await makeContent(dir);
    const good = await run(['validate', dir]);
    expect(good.code).toBe(0);
    expect(good.app.exit).toHaveBeenCalledWith(0);
    // The same user-data folder as the kiosk: the same config.json and content store.
    expect(good.app.setName).toHaveBeenCalledWith('Vitrine');
    await writeFile(path.join(dir, 'exhibit.yaml'), 'schemaVersion: 1\nchapters: nope\n');
    const bad = await run(['validate', dir]);
    expect(bad.code).toBe(1);
    expect(bad.app.exit).toHaveBeenCalledWith(1);
    expect(bad.lines.join('\n')).toMatch(/chapters|title/);
  });

  it('exits 1 with one line when the CLI cannot be loaded', async () => {
    const app = { setName: vi.fn(), exit: vi.fn() };
    const err: string[] = [];
    const code = await runContentCliMode(['validate'], {
      app,
      load: () => Promise.reject(new Error('Cannot find module content.js')),
      stderr: (l) => err.push(l),
    });
    expect(code).toBe(1);
    expect(app.exit).toHaveBeenCalledWith(1);
    expect(err).toEqual(['vitrine --content-cli: Cannot find module content.js']);
  });
});

describe('kioskChromiumSwitches', () => {
  it('keeps swipe-back off everywhere, and the keyring dialog away on Linux', () => {
    expect(kioskChromiumSwitches('win32')).toEqual([['overscroll-history-navigation', '0']]);
    expect(kioskChromiumSwitches('linux')).toContainEqual(['password-store', 'basic']);
    expect(kioskChromiumSwitches('linux')).toContainEqual(['overscroll-history-navigation', '0']);
  });
});
