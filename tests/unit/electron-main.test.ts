/**
 * The entry point's order, checked against a fake `electron` module: what must
 * happen before `ready` does, what must wait for it, and the window stays
 * hidden until its first paint.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

const fake = vi.hoisted(() => {
  // vi.hoisted runs before imports, so node:events is required here.
  const { EventEmitter: Emitter } = require('node:events') as typeof import('node:events');
  const calls: string[] = [];
  let ready = false;
  let resolveReady: () => void = () => {};
  const readyGate = new Promise<void>((r) => (resolveReady = r));
  const app = Object.assign(new Emitter(), {
    isPackaged: false,
    commandLine: { appendSwitch: (k: string) => calls.push(`switch ${k}`) },
    setName: (n: string) => calls.push(`setName ${n}`),
    getPath: (): string => '',
    requestSingleInstanceLock: () => {
      calls.push(`single-instance ready=${ready}`);
      return true;
    },
    whenReady: () => readyGate,
    enableSandbox: () => calls.push(`enable-sandbox ready=${ready}`),
    quit: () => calls.push('quit'),
    exit: (c: number) => calls.push(`exit ${c}`),
    relaunch: () => calls.push('relaunch'),
  });
  const handlers: Record<string, (req: Request) => Promise<Response>> = {};
  const session = Object.assign(new Emitter(), {
    setPermissionRequestHandler: () => calls.push('permission-request-handler'),
    setPermissionCheckHandler: () => calls.push('permission-check-handler'),
    setDevicePermissionHandler: () => calls.push('device-permission-handler'),
    webRequest: { onBeforeRequest: () => calls.push('before-request') },
  });
  const windows: Array<InstanceType<typeof Emitter> & Record<string, unknown>> = [];
  class BrowserWindow extends Emitter {
    visible = false;
    webContents = Object.assign(new Emitter(), {
      loads: [] as string[],
      isDestroyed: () => false,
      setZoomFactor: () => {},
      setVisualZoomLevelLimits: () => calls.push('visual-zoom 1..1'),
      forcefullyCrashRenderer: () => {},
      loadURL(url: string) {
        this.loads.push(url);
        calls.push(`loadURL ${url}`);
        return Promise.resolve();
      },
    });
    constructor(readonly options: Record<string, unknown>) {
      super();
      calls.push(`BrowserWindow ready=${ready}`);
      windows.push(this as never);
    }
    show() {
      this.visible = true;
      calls.push('show');
    }
    focus() {}
    isVisible() {
      return this.visible;
    }
    isDestroyed() {
      return false;
    }
    isMinimized() {
      return false;
    }
    restore() {}
  }
  return {
    calls,
    handlers,
    windows,
    fireReady: () => {
      ready = true;
      calls.push('READY');
      resolveReady();
    },
    module: {
      app,
      protocol: {
        registerSchemesAsPrivileged: () => calls.push(`register-scheme ready=${ready}`),
        handle: (scheme: string, fn: (req: Request) => Promise<Response>) => {
          calls.push(`protocol.handle ${scheme} ready=${ready}`);
          handlers[scheme] = fn;
        },
      },
      session: { defaultSession: session },
      screen: { getPrimaryDisplay: () => ({ bounds: { x: 0, y: 0, width: 1920, height: 1080 } }) },
      Menu: { setApplicationMenu: (m: unknown) => calls.push(`menu ${String(m)}`) },
      powerSaveBlocker: {
        start: (t: string) => (calls.push(`power ${t}`), 1),
        stop: () => true,
        isStarted: () => true,
      },
      BrowserWindow,
    },
  };
});

vi.mock('electron', () => ({ ...fake.module, default: fake.module }));

const userData = mkdtempSync(path.join(tmpdir(), 'vitrine-main-test-'));
fake.module.app.getPath = () => userData;

describe('main.ts', () => {
  afterAll(() => {
    fake.module.app.emit('before-quit');
    fake.module.app.emit('will-quit');
  });

  it('does the pre-ready steps synchronously, before ready', async () => {
    await import('../../main/electron/main.js');
    expect(fake.calls).toContain('single-instance ready=false');
    expect(fake.calls).toContain('register-scheme ready=false');
    expect(fake.calls).toContain('enable-sandbox ready=false');
    expect(fake.calls).not.toContain('READY');
    expect(fake.windows).toHaveLength(0);
  });

  it('after ready: secures the session, drops the menu, serves app://, keeps the display on, opens a hidden window', async () => {
    fake.fireReady();
    await vi.waitFor(() => expect(fake.windows).toHaveLength(1));
    const c = fake.calls;
    const at = (s: string) => c.findIndex((x) => x.startsWith(s));
    expect(at('permission-request-handler')).toBeGreaterThan(at('READY'));
    expect(c).toContain('menu null');
    expect(c).toContain('protocol.handle app ready=true');
    expect(c).toContain('power prevent-display-sleep');
    // The session is locked down and app:// is served before the window can load anything.
    expect(at('permission-request-handler')).toBeLessThan(at('BrowserWindow'));
    expect(at('protocol.handle')).toBeLessThan(at('loadURL'));
    const win = fake.windows[0]!;
    expect(win.options).toMatchObject({ show: false, kiosk: true, x: 0, y: 0, width: 1920, height: 1080 });
    expect(c).toContain('loadURL app://kiosk/');
    expect(c).not.toContain('show');
    win.emit('ready-to-show');
    expect(c).toContain('show');
  });

  it('answers app://kiosk/ through the shared handler, and nothing else', async () => {
    const handler = fake.handlers.app!;
    const health = await handler(new Request('app://kiosk/api/health'));
    expect(health.status).toBe(200);
    expect(((await health.json()) as { ok: boolean }).ok).toBe(true);
    expect(health.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect((await handler(new Request('app://elsewhere/api/health'))).status).toBe(404);
  });
});
