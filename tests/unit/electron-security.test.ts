import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import {
  APP_SCHEME_PRIVILEGES,
  APP_URL,
  PERMISSIONS,
  guardAllContents,
  guardContents,
  isAllowedRequest,
  isInAppUrl,
  permissionDenialReason,
  registerAppScheme,
  secureSession,
  type GuardedContents,
  type SecuredSession,
} from '../../main/electron/security.js';

class FakeSession extends EventEmitter {
  request?: (wc: unknown, permission: string, cb: (granted: boolean) => void) => void;
  check?: (wc: unknown, permission: string) => boolean;
  device?: (details: unknown) => boolean;
  beforeRequest?: (details: { url: string }, cb: (r: { cancel?: boolean }) => void) => void;
  setPermissionRequestHandler(h: NonNullable<FakeSession['request']>) {
    this.request = h;
  }
  setPermissionCheckHandler(h: NonNullable<FakeSession['check']>) {
    this.check = h;
  }
  setDevicePermissionHandler(h: NonNullable<FakeSession['device']>) {
    this.device = h;
  }
  webRequest = {
    onBeforeRequest: (h: NonNullable<FakeSession['beforeRequest']>) => {
      this.beforeRequest = h;
    },
  };
}

class FakeContents extends EventEmitter {
  openHandler?: (d: { url: string }) => { action: 'deny' };
  loaded: string[] = [];
  setWindowOpenHandler(h: NonNullable<FakeContents['openHandler']>) {
    this.openHandler = h;
  }
  loadURL(url: string) {
    this.loaded.push(url);
    return Promise.resolve();
  }
}

function navEvent(url: string) {
  return {
    url,
    prevented: false,
    preventDefault() {
      this.prevented = true;
    },
  };
}

function secured(dev = false) {
  const session = new FakeSession();
  const log = vi.fn();
  secureSession(session as unknown as SecuredSession, { dev, log });
  return { session, log };
}

describe('app:// scheme', () => {
  it('is registered standard and secure with fetch and streaming, and nothing that widens access', () => {
    const registered: unknown[] = [];
    registerAppScheme({ registerSchemesAsPrivileged: (s) => registered.push(...s) });
    expect(registered).toEqual([APP_SCHEME_PRIVILEGES]);
    const p = APP_SCHEME_PRIVILEGES.privileges!;
    // The privileges are granted to the scheme the kiosk window actually loads, or fetch and streaming break.
    expect(new URL(APP_URL).protocol).toBe(`${APP_SCHEME_PRIVILEGES.scheme}:`);
    expect(isInAppUrl(APP_URL)).toBe(true);
    expect(p).toMatchObject({ standard: true, secure: true, supportFetchAPI: true, stream: true });
    expect(p.bypassCSP).toBeFalsy();
    expect(p.allowServiceWorkers).toBeFalsy();
    expect(p.corsEnabled).toBeFalsy();
    expect(p.allowExtensions).toBeFalsy();
  });
});

describe('permissions', () => {
  it('denies every permission in the table, and says why', async () => {
    const { session, log } = secured();
    for (const permission of Object.keys(PERMISSIONS)) {
      const granted = await new Promise<boolean>((resolve) => session.request!({}, permission, resolve));
      expect(granted, permission).toBe(false);
      expect(session.check!({}, permission), permission).toBe(false);
    }
    expect(log).toHaveBeenCalledWith('permission-denied', { permission: 'media', reason: PERMISSIONS.media });
  });

  it('denies permissions it has never heard of', async () => {
    const { session } = secured();
    const granted = await new Promise<boolean>((resolve) => session.request!({}, 'teleportation', resolve));
    expect(granted).toBe(false);
    expect(session.check!({}, 'teleportation')).toBe(false);
    expect(permissionDenialReason('teleportation')).toMatch(/denied/);
  });

  it('denies device access (USB, HID, serial, Bluetooth)', () => {
    const { session } = secured();
    expect(session.device!({ deviceType: 'usb', origin: 'app://kiosk' })).toBe(false);
  });

  it('gives each permission its own one-line reason', () => {
    for (const [name, reason] of Object.entries(PERMISSIONS)) {
      expect(reason.length, name).toBeGreaterThan(10);
      expect(reason, name).not.toContain('\n');
    }
    expect(Object.keys(PERMISSIONS)).toContain('media');
    expect(Object.keys(PERMISSIONS)).toContain('geolocation');
  });
});

describe('remote content', () => {
  it('lets the kiosk load only its own origin and in-memory URLs', () => {
    expect(isAllowedRequest('app://kiosk/assets/index-abc.js', false)).toBe(true);
    expect(isAllowedRequest('data:image/png;base64,AAAA', false)).toBe(true);
    expect(isAllowedRequest('blob:app://kiosk/1234', false)).toBe(true);
    for (const url of [
      'https://example.com/',
      'http://127.0.0.1:4173/',
      'wss://example.com/socket',
      'file:///etc/passwd',
      'ftp://example.com/x',
      'app://evil/',
      'app://user@kiosk/',
      'devtools://devtools/bundled/inspector.html',
      'not a url',
    ]) {
      expect(isAllowedRequest(url, false), url).toBe(false);
    }
    expect(isAllowedRequest('devtools://devtools/bundled/inspector.html', true)).toBe(true);
    expect(isAllowedRequest('https://example.com/', true)).toBe(false);
  });

  it('cancels remote requests in the session', () => {
    const { session } = secured();
    const remote = vi.fn();
    session.beforeRequest!({ url: 'https://tracker.example/pixel.gif' }, remote);
    expect(remote).toHaveBeenCalledWith({ cancel: true });
    const local = vi.fn();
    session.beforeRequest!({ url: 'app://kiosk/api/exhibit' }, local);
    expect(local).toHaveBeenCalledWith({});
  });

  it('cancels every download', () => {
    const { session } = secured();
    const event = { preventDefault: vi.fn() };
    const item = { cancel: vi.fn() };
    session.emit('will-download', event, item);
    expect(event.preventDefault).toHaveBeenCalled();
    expect(item.cancel).toHaveBeenCalled();
  });
});

describe('navigation and windows', () => {
  function guarded() {
    const contents = new FakeContents();
    const log = vi.fn();
    guardContents(contents as unknown as GuardedContents, log);
    return { contents, log };
  }

  it('recognises only app://kiosk/ as in-app', () => {
    expect(isInAppUrl('app://kiosk/')).toBe(true);
    expect(isInAppUrl('app://kiosk/chapter/3')).toBe(true);
    expect(isInAppUrl('app://kiosk.evil/')).toBe(false);
    expect(isInAppUrl('https://kiosk/')).toBe(false);
  });

  it('cancels navigation away from the kiosk, including redirects', () => {
    const { contents, log } = guarded();
    for (const event of ['will-navigate', 'will-redirect']) {
      const away = navEvent('https://example.com/');
      contents.emit(event, away);
      expect(away.prevented, event).toBe(true);
    }
    const file = navEvent('file:///home/kiosk/');
    contents.emit('will-navigate', file);
    expect(file.prevented).toBe(true);
    expect(log).toHaveBeenCalledWith('navigation-blocked', { url: 'https://example.com/' });
  });

  it('lets the kiosk reload its own pages', () => {
    const { contents } = guarded();
    const home = navEvent('app://kiosk/');
    contents.emit('will-navigate', home);
    expect(home.prevented).toBe(false);
  });

  it('never opens a window; an in-app link loads in the kiosk window instead', () => {
    const { contents } = guarded();
    expect(contents.openHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(contents.loaded).toEqual([]);
    expect(contents.openHandler!({ url: 'app://kiosk/credits' })).toEqual({ action: 'deny' });
    expect(contents.loaded).toEqual(['app://kiosk/credits']);
  });

  it('refuses to attach a <webview>', () => {
    const { contents } = guarded();
    const event = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', event);
    expect(event.preventDefault).toHaveBeenCalled();
  });

  it("does not let a page's beforeunload block a reload", () => {
    const { contents } = guarded();
    const event = { preventDefault: vi.fn() };
    contents.emit('will-prevent-unload', event);
    expect(event.preventDefault).toHaveBeenCalled();
  });

  it('guards every web contents the app creates', () => {
    const app = new EventEmitter();
    guardAllContents(app as never, vi.fn());
    const contents = new FakeContents();
    app.emit('web-contents-created', {}, contents);
    const away = navEvent('https://example.com/');
    contents.emit('will-navigate', away);
    expect(away.prevented).toBe(true);
    expect(contents.openHandler).toBeDefined();
  });
});
