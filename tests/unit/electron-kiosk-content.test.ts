import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { ElectronConfig } from '../../main/electron/config.js';
import {
  electronStaffActions,
  kioskHandlerOptions,
  renderGoneRollback,
  resolveKioskFolders,
  startKioskContent,
} from '../../main/electron/kiosk-content.js';
import { RESTART_EXIT_CODE } from '../../main/kiosk/restart.js';
import type { KioskServices, KioskServicesOptions } from '../../main/staff/kiosk.js';

const dirs: string[] = [];
function userDataDir(config?: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'vitrine-kc-'));
  dirs.push(dir);
  if (config) writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
  return dir;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const config: ElectronConfig = {
  contentDir: '/data/exhibit',
  bundledContent: false,
  rendererDir: '/opt/vitrine/dist/renderer',
  settings: { idleSeconds: 45 },
  dev: false,
  windowed: false,
};

describe('resolveKioskFolders', () => {
  it("defaults to a store in Electron's user data and no inbox", async () => {
    const ud = userDataDir();
    expect(await resolveKioskFolders(ud, {})).toEqual({
      store: path.join(ud, 'content-store'),
      inbox: undefined,
    });
  });

  it('reads config.json (relative paths against user data), as the browser host does', async () => {
    const ud = userDataDir({ contentStore: 'store-here', inbox: '/mnt/share/vitrine' });
    expect(await resolveKioskFolders(ud, {})).toEqual({
      store: path.join(ud, 'store-here'),
      inbox: '/mnt/share/vitrine',
    });
  });

  it('lets the environment beat config.json, and the --inbox flag beat both', async () => {
    const ud = userDataDir({ contentStore: 'store-here', inbox: '/mnt/share' });
    const env = { VITRINE_CONTENT_STORE: '/var/vitrine/store', VITRINE_INBOX: '/media/usb' };
    expect(await resolveKioskFolders(ud, env)).toEqual({
      store: '/var/vitrine/store',
      inbox: '/media/usb',
    });
    expect((await resolveKioskFolders(ud, env, '/media/flag')).inbox).toBe('/media/flag');
  });

  it('ignores a config.json that is not JSON', async () => {
    const ud = userDataDir();
    writeFileSync(path.join(ud, 'config.json'), '{ not json');
    expect((await resolveKioskFolders(ud, {})).store).toBe(path.join(ud, 'content-store'));
  });
});

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

describe('startKioskContent', () => {
  it('starts the services with the resolved store and inbox, seed-only for the shipped exhibit', async () => {
    const ud = userDataDir({ inbox: 'inbox' });
    let got: KioskServicesOptions | undefined;
    const services = fakeServices();
    const log = vi.fn();
    const app = { relaunch: vi.fn(), exit: vi.fn() };
    const result = await startKioskContent({
      config: { ...config, bundledContent: true },
      userData: ud,
      env: {},
      app,
      setQuitting: vi.fn(),
      log,
      createServices: async (opts) => {
        got = opts;
        return services;
      },
    });
    expect(result).toBe(services);
    expect(got).toMatchObject({
      contentDir: '/data/exhibit',
      store: path.join(ud, 'content-store'),
      inbox: path.join(ud, 'inbox'),
      seedOnly: true,
      userData: ud,
    });
    // The store's own lines land in the kiosk's event log.
    got!.log!('Installed v1.');
    expect(log).toHaveBeenCalledWith('content', { line: 'Installed v1.' });
    // The panel's exit reaches the app.
    void got!.actions!.exit!();
    expect(app.exit).toHaveBeenCalledWith(0);
  });

  it('passes "no inbox" explicitly, so the browser-host defaults (other user data) are not consulted', async () => {
    let got: KioskServicesOptions | undefined;
    await startKioskContent({
      config,
      userData: userDataDir(),
      env: {},
      app: { relaunch: vi.fn(), exit: vi.fn() },
      setQuitting: vi.fn(),
      log: vi.fn(),
      createServices: async (opts) => {
        got = opts;
        return fakeServices();
      },
    });
    expect(got?.inbox).toBeNull();
    expect(got?.seedOnly).toBe(false);
  });
});

describe('kioskHandlerOptions', () => {
  it('serves the live source with the staff routes, and logs renderer reports before the store hears them', () => {
    const services = fakeServices();
    const log = vi.fn();
    const opts = kioskHandlerOptions(config, services, log);
    expect(opts.content).toBe(services.live.source);
    expect(opts.staff).toBe(services.staff);
    expect(opts.settings).toEqual({ idleSeconds: 45 });
    const entry = { level: 'error' as const, message: 'boom' };
    opts.onRendererLog!(entry as never);
    expect(log).toHaveBeenCalledWith('renderer-log', expect.objectContaining({ message: 'boom' }));
    expect(services.onRendererLog).toHaveBeenCalledWith(entry);
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
