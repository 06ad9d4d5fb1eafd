/** The Electron kiosk's part in the composition root: its user data, event log, staff actions and rollback. */
import { mkdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { generateSigningKeys } from '../../main/content/signing.js';
import { loadConfig, type ElectronConfig } from '../../main/electron/config.js';
import {
  electronKioskOptions,
  electronStaffActions,
  readElectronKioskConfig,
  renderGoneRollback,
} from '../../main/electron/kiosk-content.js';
import { assembleKiosk } from '../../main/kiosk/assemble.js';
import { RESTART_EXIT_CODE } from '../../main/kiosk/restart.js';
import type { KioskServices } from '../../main/kiosk/services.js';
import { cleanup, makeContent, tempDir } from './content-fixtures.js';

const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const config: ElectronConfig = {
  contentDir: '/data/exhibit',
  bundledContent: false,
  rendererDir: '/opt/vitrine/dist/renderer',
  settings: { idleSeconds: 45 },
  dev: false,
  windowed: false,
};

describe('electronStaffActions', () => {
  function fakeApp(env: Record<string, string> = {}) {
    const order: string[] = [];
    let quitting = false;
    const app = {
      relaunch: vi.fn(() => order.push(`relaunch quitting=${quitting}`)),
      exit: vi.fn((code: number) => order.push(`exit ${code} quitting=${quitting}`)),
    };
    const actions = electronStaffActions(app, () => (quitting = true), vi.fn(), env);
    return { app, actions, order };
  }

  it('restart marks the app quitting, relaunches, then exits', () => {
    const f = fakeApp();
    void f.actions.restart();
    expect(f.order).toEqual(['relaunch quitting=true', 'exit 0 quitting=true']);
  });

  it("restart under npm start's supervisor asks it for a new kiosk instead of relaunching", () => {
    const f = fakeApp({ VITRINE_SUPERVISED: '1' });
    void f.actions.restart();
    expect(f.order).toEqual([`exit ${RESTART_EXIT_CODE} quitting=true`]);
  });

  it('exit marks the app quitting and exits without relaunching', () => {
    const f = fakeApp();
    void f.actions.exit();
    expect(f.order).toEqual(['exit 0 quitting=true']);
    expect(f.app.relaunch).not.toHaveBeenCalled();
  });
});

function fakeServices() {
  const source = { current: () => undefined };
  return {
    live: { source, rendererFailed: vi.fn(async () => true) },
    staff: vi.fn(),
    errors: { add: vi.fn() },
    onRendererLog: vi.fn(),
  } as unknown as KioskServices & {
    live: { rendererFailed: ReturnType<typeof vi.fn> };
    onRendererLog: ReturnType<typeof vi.fn>;
  };
}

describe('electronKioskOptions', () => {
  function options(over: Partial<ElectronConfig> = {}, env: Record<string, string> = {}) {
    const log = vi.fn();
    const app = { relaunch: vi.fn(), exit: vi.fn() };
    const opts = electronKioskOptions({
      config: { ...config, ...over },
      userData: '/home/kiosk/.config/Vitrine',
      kioskConfig: { allowExit: true },
      env,
      app,
      setQuitting: vi.fn(),
      log,
    });
    return { opts, log, app };
  }

  it("assembles the live kiosk in Electron's user data, with the flags' inbox and settings", () => {
    const { opts } = options({ inboxDir: '/media/usb', bundledContent: true });
    expect(opts).toMatchObject({
      contentDir: '/data/exhibit',
      rendererDir: '/opt/vitrine/dist/renderer',
      settings: { idleSeconds: 45 },
      live: {
        userData: '/home/kiosk/.config/Vitrine',
        config: { allowExit: true },
        inboxFlag: '/media/usb',
        seedOnly: true,
      },
    });
  });

  it('writes store lines, renderer reports and config.json problems to the event log', async () => {
    const { opts, log } = options();
    opts.log!('Installed v1.');
    expect(log).toHaveBeenCalledWith('content', { line: 'Installed v1.' });
    opts.live.onRendererLog!({ level: 'error', message: 'boom' } as never);
    expect(log).toHaveBeenCalledWith('renderer-log', expect.objectContaining({ message: 'boom' }));
    const work = await tempDir('vitrine-electron-config-');
    try {
      await writeFile(path.join(work, 'config.json'), '{ "inbox": ');
      expect(await readElectronKioskConfig(work, log)).toEqual({});
      expect(log).toHaveBeenCalledWith('config', expect.objectContaining({ kind: 'invalid' }));
    } finally {
      await cleanup(work);
    }
  });

  it("gives the staff panel an exit that quits the app, and a restart that npm start's supervisor sees", () => {
    const { opts, app } = options({}, { VITRINE_SUPERVISED: '1' });
    void opts.live.actions!.exit!();
    expect(app.exit).toHaveBeenCalledWith(0);
    void opts.live.actions!.restart!();
    expect(app.exit).toHaveBeenLastCalledWith(RESTART_EXIT_CODE);
    expect(app.relaunch).not.toHaveBeenCalled();
  });
});

describe('the fleet flags on the Electron command line', () => {
  /** A stand-in channel server on this machine: it records what the kiosk asks for and has nothing yet. */
  async function fakeChannel() {
    const asked: string[] = [];
    const server = http.createServer((req, res) => {
      asked.push(req.url ?? '');
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise((r) => server.close(r)));
    return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, asked };
  }

  async function freePort(): Promise<number> {
    const server = http.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    await new Promise((r) => server.close(r));
    return port;
  }

  it('--channel URL reaches the follower and --metrics-port N the metrics listener', async () => {
    const work = await tempDir('vitrine-electron-fleet-');
    closers.push(() => cleanup(work));
    const userData = path.join(work, 'user');
    await mkdir(userData, { recursive: true });
    // The kiosk follows a channel only with a key to check its packages.
    const keys = generateSigningKeys();
    await writeFile(path.join(userData, 'config.json'), JSON.stringify({ publicKeys: [keys.publicKeyPem] }));
    const contentDir = await makeContent(path.join(work, 'exhibit'));
    const channel = await fakeChannel();
    const url = `${channel.base}/pilot/channel.json`;
    const port = await freePort();
    // Electron's own argv: executable, app, the kiosk's flags and a Chromium switch in between.
    const loaded = loadConfig({
      argv: [
        '/opt/vitrine/vitrine',
        '--content',
        contentDir,
        '--channel',
        url,
        '--inspect=0',
        '--metrics-port',
        String(port),
      ],
      env: {},
      cwd: work,
    });
    if (!loaded.ok) throw new Error(loaded.message);
    const kiosk = await assembleKiosk(
      electronKioskOptions({
        config: loaded.config,
        userData,
        kioskConfig: await readElectronKioskConfig(userData, vi.fn()),
        env: {},
        app: { relaunch: vi.fn(), exit: vi.fn() },
        setQuitting: vi.fn(),
        log: vi.fn(),
      }),
    );
    closers.push(() => kiosk.close());
    const fleet = kiosk.services.fleet;
    expect(fleet.follower?.status().url).toBe(url);
    // The follower's first look goes to the flag's address at once.
    await vi.waitFor(() => expect(channel.asked).toContain('/pilot/channel.json'));
    expect(fleet.metricsServer?.url).toBe(`http://127.0.0.1:${port}/metrics`);
  });
});

describe('renderGoneRollback', () => {
  it('reports the crash to the store as a render failure and logs a rollback', async () => {
    const services = fakeServices();
    const log = vi.fn();
    renderGoneRollback(services, log)('oom');
    expect(services.live.rendererFailed).toHaveBeenCalledWith(expect.stringContaining('oom'));
    await vi.waitFor(() => expect(log).toHaveBeenCalledWith('content-rolled-back', { reason: 'oom' }));
  });

  it('logs nothing when no new version was being drawn', async () => {
    const services = fakeServices();
    services.live.rendererFailed.mockResolvedValueOnce(false);
    const log = vi.fn();
    renderGoneRollback(services, log)('crashed');
    await Promise.resolve();
    await Promise.resolve();
    expect(log).not.toHaveBeenCalled();
  });

  it('keeps a failed rollback for the staff panel instead of throwing', async () => {
    const services = fakeServices();
    services.live.rendererFailed.mockRejectedValueOnce(new Error('disk full'));
    renderGoneRollback(services, vi.fn())('crashed');
    await vi.waitFor(() =>
      expect(services.errors.add).toHaveBeenCalledWith('host', expect.stringContaining('disk full')),
    );
  });
});
