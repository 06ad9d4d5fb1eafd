/**
 * The entry point's order, checked against a fake `electron` module: what must
 * happen before `ready` does, what must wait for it, and the window stays
 * hidden until its first paint. Then the kiosk as staff and visitors meet it:
 * content served from the live store, the staff panel's routes, a version that
 * crashes the renderer rolled back, and "exit kiosk mode" really quitting.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { exhibitYaml, makeContent } from './content-fixtures.js';

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
// A content folder of the museum's own (not the bundled exhibit), so edits to it go live, and an inbox.
const contentDir = path.join(userData, 'exhibit');
const inboxDir = path.join(userData, 'inbox');
// This kiosk's technician allows the panel's "Exit kiosk" (off by default).
writeFileSync(path.join(userData, 'config.json'), '{ "allowExit": true }');
mkdirSync(inboxDir);
for (const name of ['VITRINE_INBOX', 'VITRINE_CONTENT_STORE', 'VITRINE_CONTENT']) delete process.env[name];

/** A port nothing listens on right now, for `--metrics-port`. */
async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}
const metricsPort = await freePort();

/** One sample of the kiosk's metrics, as a scraper reads it. */
async function metric(name: string): Promise<number | undefined> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(name));
  return line === undefined ? undefined : Number(line.slice(name.length).trim());
}

// Seeding the store on the first start copies and checks the content: not instant.
const START_MS = 20_000;
const TEST_MS = 30_000;
const ORIGIN = 'app://kiosk';

function request(
  p: string,
  init: { method?: string; body?: unknown; token?: string; headers?: Record<string, string> } = {},
): Request {
  return new Request(`${ORIGIN}${p}`, {
    method: init.method ?? 'GET',
    headers: {
      origin: ORIGIN,
      'sec-fetch-site': 'same-origin',
      'content-type': 'application/json',
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

async function call<T = Record<string, unknown>>(
  p: string,
  init: { method?: string; body?: unknown; token?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: T }> {
  const res = await fake.handlers.app!(request(p, init));
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** Signs in with the staff PIN; the first time, sets it from the first-run one, as the panel makes staff do. */
async function signIn(): Promise<string> {
  let res = await call<{ token: string }>('/api/staff/session', { method: 'POST', body: { pin: '7351' } });
  if (res.status === 401) {
    const first = await call<{ token: string }>('/api/staff/session', {
      method: 'POST',
      body: { pin: '1945' },
    });
    const body = { current: '1945', next: '7351' };
    expect((await call('/api/staff/pin', { method: 'POST', token: first.body.token, body })).status).toBe(
      200,
    );
    res = await call<{ token: string }>('/api/staff/session', { method: 'POST', body: { pin: '7351' } });
  }
  expect(res.status).toBe(200);
  return res.body.token;
}

let mainImported: Promise<void> | undefined;
/** Imports main.ts once, with this kiosk's flags; its pre-ready steps run during the import. */
function importMain(): Promise<void> {
  mainImported ??= (async () => {
    await makeContent(contentDir, { version: 'first' });
    process.argv.push('--content', contentDir, '--inbox', inboxDir, '--metrics-port', String(metricsPort));
    await import('../../main/electron/main.js');
  })();
  return mainImported;
}

let kioskStarted: Promise<void> | undefined;
/**
 * The running kiosk, whichever test asks first: main.ts imported, `ready` fired, its one window
 * open. Each test asks for it, so each passes run alone as well as in order.
 */
function startKiosk(): Promise<void> {
  kioskStarted ??= (async () => {
    await importMain();
    fake.fireReady();
    await vi.waitFor(() => expect(fake.windows).toHaveLength(1), { timeout: START_MS });
  })();
  return kioskStarted;
}

interface Status {
  content: {
    version?: string;
    store: string;
    pending?: { version: string; state: string };
    autoRollback?: { version: string; restored: string; reason: string };
    inbox?: { dir: string };
  };
  actions: { restart: boolean; exit: boolean };
}

describe('main.ts', () => {
  afterAll(() => {
    fake.module.app.emit('before-quit');
    fake.module.app.emit('will-quit');
    rmSync(userData, { recursive: true, force: true });
  });

  it(
    'does the pre-ready steps synchronously, before ready',
    async () => {
      await importMain();
      // What the import did by itself, before any test fired `ready`.
      const ready = fake.calls.indexOf('READY');
      const preReady = ready < 0 ? [...fake.calls] : fake.calls.slice(0, ready);
      expect(preReady).toContain('single-instance ready=false');
      expect(preReady).toContain('register-scheme ready=false');
      expect(preReady).toContain('enable-sandbox ready=false');
      expect(
        preReady.filter((c) => c.startsWith('BrowserWindow')),
        'no window before ready',
      ).toEqual([]);
    },
    TEST_MS,
  );

  it(
    'after ready: secures the session, drops the menu, serves app://, keeps the display on, opens a hidden window',
    async () => {
      await startKiosk();
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
    },
    TEST_MS,
  );

  it(
    'answers app://kiosk/ through the shared handler, and nothing else',
    async () => {
      await startKiosk();
      const handler = fake.handlers.app!;
      const health = await handler(new Request('app://kiosk/api/health'));
      expect(health.status).toBe(200);
      expect(((await health.json()) as { ok: boolean }).ok).toBe(true);
      expect(health.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect((await handler(new Request('app://elsewhere/api/health'))).status).toBe(404);
    },
    TEST_MS,
  );

  it(
    'serves the content store (seeded from the content folder), not the folder itself',
    async () => {
      await startKiosk();
      const exhibit = await call<{ version: string; exhibit: { version: string } }>('/api/exhibit');
      expect(exhibit.status).toBe(200);
      expect(exhibit.body.exhibit.version).toBe('first');
      const token = await signIn();
      const status = await call<Status>('/api/staff/status', { token });
      expect(status.body.content.store).toBe(path.join(userData, 'content-store'));
      expect(status.body.content.version).toBe(exhibit.body.version);
      // --inbox reached the store's watcher.
      expect(status.body.content.inbox?.dir).toBe(inboxDir);
    },
    TEST_MS,
  );

  it(
    'answers the staff panel: PIN first, then status with both host actions',
    async () => {
      await startKiosk();
      expect((await call('/api/staff/status')).status).toBe(401);
      const wrong = await call('/api/staff/session', { method: 'POST', body: { pin: '0000' } });
      expect(wrong.status).toBe(401);
      const token = await signIn();
      const status = await call<Status>('/api/staff/status', { token });
      expect(status.status).toBe(200);
      expect(status.body.actions).toEqual({ restart: true, exit: true });
    },
    TEST_MS,
  );

  it(
    'a renderer crash while drawing a new version: rolled back by itself, counted in the metrics, kept on disk',
    async () => {
      await startKiosk();
      // Step 1: a new version arrives and the renderer dies drawing it; the kiosk rolls back by itself.
      const before = (await call<{ version: string }>('/api/exhibit')).body.version;
      writeFileSync(path.join(contentDir, 'exhibit.yaml'), exhibitYaml({ version: 'second' }));
      const token = await signIn();
      // A folder change is taken once it has held still between two looks.
      await vi.waitFor(
        async () => {
          const s = await call<Status>('/api/staff/reload', { method: 'POST', token });
          expect(s.body.content.pending?.version).toBeDefined();
        },
        { timeout: START_MS, interval: 200 },
      );
      const swapped = await call<{ version: string; exhibit: { version: string } }>('/api/exhibit');
      expect(swapped.body.exhibit.version).toBe('second');
      expect(swapped.body.version).not.toBe(before);
      // The renderer starts drawing it at the idle reset... and its process dies.
      // As the page does: with the key the host wrote into the index.html it served.
      const page = await (await fake.handlers.app!(request('/'))).text();
      const key = /name="vitrine-page-key" content="([0-9a-f]+)"/.exec(page)?.[1] ?? '';
      // The Electron entry serves the built renderer: npm test builds it before the unit tests.
      expect(key, 'the served index.html carries the page key (is dist/renderer built?)').not.toBe('');
      const applying = await call('/api/staff/applying', {
        method: 'POST',
        body: { version: swapped.body.version },
        headers: { 'x-vitrine-page-key': key },
      });
      expect(applying.status).toBe(204);
      const contents = fake.windows[0]!.webContents as unknown as InstanceType<
        typeof import('node:events').EventEmitter
      >;
      contents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
      await vi.waitFor(
        async () => {
          const now = await call<{ version: string; exhibit: { version: string } }>('/api/exhibit');
          expect(now.body.version).toBe(before);
          expect(now.body.exhibit.version).toBe('first');
        },
        { timeout: START_MS },
      );
      const status = await call<Status>('/api/staff/status', { token: await signIn() });
      expect(status.body.content.autoRollback).toMatchObject({
        version: swapped.body.version,
        restored: before,
      });
      expect(status.body.content.autoRollback?.reason).toMatch(/crashed/);

      // Step 2: the reload after that crash is counted in the metrics --metrics-port serves.
      await vi.waitFor(
        async () => expect(await metric('vitrine_renderer_restarts_total{reason="crash"}')).toBe(1),
        { timeout: 5_000 },
      );
      expect(await metric('vitrine_renderer_restarts_total{reason="hang"}')).toBe(0);

      // Step 3: the crash is kept on disk, so a relaunch goes on counting toward the resting page.
      const file = path.join(userData, 'recovery.json');
      await vi.waitFor(() => {
        const record = JSON.parse(readFileSync(file, 'utf8')) as { failures: number[] };
        expect(record.failures).toHaveLength(1);
      });
    },
    TEST_MS,
  );

  it(
    "the panel's exit really quits: the locked window may then close",
    async () => {
      await startKiosk();
      const win = fake.windows[0]!;
      const refused = vi.fn();
      win.emit('close', { preventDefault: refused });
      expect(refused).toHaveBeenCalled();
      const token = await signIn();
      const exit = await call('/api/staff/exit', { method: 'POST', token });
      expect(exit.status).toBe(202);
      await vi.waitFor(() => expect(fake.calls).toContain('exit 0'));
      expect(fake.calls).not.toContain('relaunch');
      const allowed = vi.fn();
      win.emit('close', { preventDefault: allowed });
      expect(allowed).not.toHaveBeenCalled();
    },
    TEST_MS,
  );
});
