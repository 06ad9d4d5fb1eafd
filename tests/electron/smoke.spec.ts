/**
 * Smoke test of the real Electron kiosk (the built app in dist/). Where the
 * Electron binary is not installed (an offline `npm install`), it is skipped
 * with that reason; it never passes without launching Electron. Each test
 * launches its own kiosk with its own user data, so any one of them runs alone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, expect, test as base, type ElectronApplication, type Page } from '@playwright/test';
import { loadExhibit } from '../../main/content/load.js';
import { installedElectronBinary } from '../../main/cli/installed-binary.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const mainJs = path.join(root, 'dist', 'main', 'electron', 'main.js');

const binary = installedElectronBinary();
const needsXvfb = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;

/** A running Electron kiosk and its first window. */
interface Kiosk {
  app: ElectronApplication;
  page: Page;
  /** Its user-data root (XDG_CONFIG_HOME); Electron's userData is `<this>/Vitrine`. */
  userData: string;
}

const test = base.extend<{ kiosk: Kiosk }, { display: string | undefined }>({
  // One X server per worker where there is no display; a kiosk per test on it.
  display: [
    async ({}, use) => {
      if (!binary.ok || !needsXvfb) return use(process.env.DISPLAY);
      const display = `:${90 + Math.floor(Math.random() * 9)}`;
      const xvfb: ChildProcess = spawn(
        'Xvfb',
        [display, '-screen', '0', '1920x1080x24', '-nolisten', 'tcp'],
        {
          stdio: 'ignore',
        },
      );
      await new Promise((r) => setTimeout(r, 500));
      await use(display);
      xvfb.kill();
    },
    { scope: 'worker' },
  ],
  kiosk: async ({ display }, use) => {
    if (!binary.ok) throw new Error(binary.reason);
    if (!existsSync(mainJs))
      throw new Error(`The app is not built (${mainJs} is missing): run npm run build first.`);
    const env: Record<string, string> = { ...(process.env as Record<string, string>) };
    delete env.ELECTRON_RUN_AS_NODE;
    const userData = mkdtempSync(path.join(tmpdir(), 'vitrine-electron-'));
    // userData (logs, the single-instance lock, the content store) away from any real kiosk on this machine.
    env.XDG_CONFIG_HOME = userData;
    env.HOME = userData;
    if (display) env.DISPLAY = display;
    const args = [mainJs];
    // Chromium will not start as root with its OS sandbox (CI containers); the renderer sandbox stays on.
    if (process.platform === 'linux' && process.getuid?.() === 0) args.unshift('--no-sandbox');
    const app = await _electron.launch({ executablePath: binary.path, args, env, cwd: root });
    try {
      const page = await app.firstWindow();
      await page.waitForLoadState('domcontentloaded');
      await use({ app, page, userData });
    } finally {
      await app.close().catch(() => undefined);
      rmSync(userData, { recursive: true, force: true });
    }
  },
});

test.describe('Electron kiosk', () => {
  test.skip(!binary.ok, binary.ok ? '' : binary.reason);

  test('opens one fullscreen kiosk window, shown once painted', async ({ kiosk }) => {
    const state = () =>
      kiosk.app.evaluate(({ BrowserWindow }) => {
        const wins = BrowserWindow.getAllWindows();
        const w = wins[0]!;
        return { count: wins.length, kiosk: w.isKiosk(), visible: w.isVisible() };
      });
    // The window stays hidden until its first paint, then shows by itself.
    await expect.poll(state).toEqual({ count: 1, kiosk: true, visible: true });
  });

  test('serves the page from app://kiosk/', async ({ kiosk }) => {
    expect(kiosk.page.url()).toMatch(/^app:\/\/kiosk\//);
  });

  test('gives the page no Node.js (context isolation, no require or process)', async ({ kiosk }) => {
    const globals = await kiosk.page.evaluate(() => ({
      require: typeof (globalThis as Record<string, unknown>).require,
      process: typeof (globalThis as Record<string, unknown>).process,
      module: typeof (globalThis as Record<string, unknown>).module,
    }));
    expect(globals).toEqual({ require: 'undefined', process: 'undefined', module: 'undefined' });
  });

  test('renders the exhibit title', async ({ kiosk }) => {
    const loaded = await loadExhibit(path.join(root, 'assets', 'exhibit'));
    if (!loaded.ok) throw new Error('The bundled exhibit does not load');
    const title = loaded.exhibit.title[loaded.exhibit.settings.defaultLanguage] ?? '';
    expect(title).not.toBe('');
    await expect(kiosk.page.getByText(title).first()).toBeVisible({ timeout: 15_000 });
  });

  test('serves the seeded content store and answers the staff panel (PIN first)', async ({ kiosk }) => {
    const answers = await kiosk.page.evaluate(async () => ({
      exhibit: (await fetch('/api/exhibit')).status,
      staff: (await fetch('/api/staff/status')).status,
    }));
    expect(answers).toEqual({ exhibit: 200, staff: 401 });
    // Electron's user data is <XDG_CONFIG_HOME>/Vitrine; the first start seeded the store there.
    expect(existsSync(path.join(kiosk.userData, 'Vitrine', 'content-store', 'current.json'))).toBe(true);
  });

  test('denies permissions and refuses to navigate away', async ({ kiosk }) => {
    const { app, page } = kiosk;
    const state = await page.evaluate(() =>
      navigator.permissions.query({ name: 'geolocation' }).then((p) => p.state),
    );
    expect(state).toBe('denied');
    // A listener added after the kiosk's own sees whether the kiosk cancelled the navigation.
    await app.evaluate(({ BrowserWindow }) => {
      const g = globalThis as { vitrineNav?: { url: string; prevented: boolean } };
      BrowserWindow.getAllWindows()[0]!.webContents.once('will-navigate', (event) => {
        g.vitrineNav = { url: event.url, prevented: event.defaultPrevented };
      });
    });
    await page.evaluate(() => {
      location.href = 'https://example.com/';
    });
    await expect
      .poll(() => app.evaluate(() => (globalThis as { vitrineNav?: unknown }).vitrineNav))
      .toEqual({ url: 'https://example.com/', prevented: true });
    expect(page.url()).toMatch(/^app:\/\/kiosk\//);
  });
});
