/**
 * Every security decision of the Electron host, in one place and deny-by-default:
 * the `app://` scheme's privileges, the permission table, navigation, new
 * windows, `<webview>`, downloads and remote requests. Electron objects are
 * passed in, so each rule is unit-tested in plain Node with fakes.
 */
import type { CustomScheme, Session } from 'electron';

/** The scheme the kiosk is served on. */
export const APP_SCHEME = 'app';
/** The kiosk's one origin. */
export const APP_ORIGIN = 'app://kiosk';
/** The kiosk's start page. */
export const APP_URL = `${APP_ORIGIN}/`;

/**
 * `app://` privileges: only what a same-origin single-page app needs. Not
 * `bypassCSP`, not `allowServiceWorkers`, not `corsEnabled` (nothing is fetched
 * cross-origin; same-origin requests on a standard scheme need no CORS).
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: {
    standard: true, // real origin, relative URLs resolve, localStorage works
    secure: true, // a secure context, like https
    supportFetchAPI: true, // fetch('/api/exhibit') and the event stream
    stream: true, // media byte ranges and the event stream are streamed, not buffered
    codeCache: true, // V8 code cache for the bundle: faster cold start
  },
};

/** The protocol module's only pre-ready method we call. */
export interface SchemeRegistry {
  registerSchemesAsPrivileged(schemes: CustomScheme[]): void;
}

/** Registers `app://` as privileged. Must run before the app's `ready` event. */
export function registerAppScheme(protocol: SchemeRegistry): void {
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
}

/** Every permission Electron knows, taken from its own type so a new one fails the build until listed. */
export type PermissionName = Parameters<NonNullable<Parameters<Session['setPermissionCheckHandler']>[0]>>[1];

/**
 * The permission table: every permission is denied, each with the reason a
 * museum kiosk has no use for it. Unknown permissions are denied as well.
 */
export const PERMISSIONS: Readonly<Record<PermissionName, string>> = {
  ar: 'no augmented reality on a wall screen',
  'automatic-fullscreen': 'the window is already a fullscreen kiosk; the page may not change that',
  'background-fetch': 'everything is local; nothing downloads in the background',
  'background-sync': 'offline by design; nothing to sync',
  'captured-surface-control': 'no screen capture, so nothing to control',
  'clipboard-read': "visitors' clipboards are none of the exhibit's business",
  'clipboard-sanitized-write': 'visitors do not copy text from a kiosk',
  'deprecated-sync-clipboard-read': 'no clipboard access of any kind',
  'display-capture': 'the kiosk never records the screen',
  fileSystem: 'the page never touches files; the host serves them',
  fullscreen: 'the window is fullscreen already; the image viewer is an in-page overlay',
  geolocation: 'the kiosk does not move',
  'geolocation-approximate': 'the kiosk does not move',
  'hand-tracking': 'no XR hardware',
  hid: 'no HID devices beyond the touch screen the OS already handles',
  'idle-detection': 'idle is measured in the page from touches, not from the OS',
  keyboardLock: 'visitors have no keyboard to lock',
  'local-fonts': 'fonts are bundled',
  'local-network': 'the page talks only to its own origin',
  'local-network-access': 'the page talks only to its own origin',
  'loopback-network': 'the page talks only to its own origin',
  media: 'no camera or microphone: visitors are never recorded',
  mediaKeySystem: 'no DRM-protected media',
  midi: 'no MIDI devices',
  midiSysex: 'no MIDI devices',
  nfc: 'no NFC reader',
  notifications: 'nobody reads desktop notifications on a kiosk',
  openExternal: 'no links leave the kiosk',
  'payment-handler': 'nothing is sold',
  'periodic-background-sync': 'offline by design; nothing to sync',
  'persistent-storage': 'visitor state is reset at every idle timeout; nothing persists',
  pointerLock: 'touch input has no pointer to lock',
  'screen-wake-lock': 'the main process keeps the display awake (powerSaveBlocker)',
  sensors: 'no motion sensors are used',
  serial: 'no serial devices',
  'smart-card': 'no smart cards',
  'speaker-selection': 'audio goes to the system default output staff configured',
  'storage-access': 'there are no third parties to share storage with',
  'system-wake-lock': 'the main process keeps the display awake (powerSaveBlocker)',
  'top-level-storage-access': 'there are no third parties to share storage with',
  usb: 'no USB devices from the page',
  vr: 'no XR hardware',
  'web-app-installation': 'the kiosk is the app; nothing installs',
  'web-printing': 'no printer is attached; nothing is printed',
  'window-management': 'one window, placed by the host',
  unknown: 'unknown permissions are denied',
};

/** Why a permission is denied (every permission is). */
export function permissionDenialReason(permission: string): string {
  return (PERMISSIONS as Record<string, string>)[permission] ?? 'not in the table, so denied';
}

/** Deny log sink. */
export type SecurityLog = (event: string, detail: Record<string, unknown>) => void;

/** The session methods the security rules use. */
export interface SecuredSession {
  setPermissionRequestHandler(
    handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string) => boolean): void;
  setDevicePermissionHandler(handler: (details: unknown) => boolean): void;
  on(
    event: 'will-download',
    listener: (event: { preventDefault(): void }, item: { cancel(): void }) => void,
  ): unknown;
  webRequest: {
    onBeforeRequest(
      listener: (details: { url: string }, callback: (response: { cancel?: boolean }) => void) => void,
    ): void;
  };
}

/** True for URLs inside the kiosk: `app://kiosk/...` and nothing else. */
export function isInAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` && parsed.host === 'kiosk' && !parsed.username && !parsed.password
  );
}

/**
 * Whether the renderer may load a URL at all: the kiosk's own origin and the
 * in-memory `data:`/`blob:` URLs the page makes; DevTools' own pages only in
 * developer mode. Everything remote (http, https, ws, file, ftp, ...) is refused.
 */
export function isAllowedRequest(url: string, dev: boolean): boolean {
  if (isInAppUrl(url)) return true;
  const scheme = url.slice(0, url.indexOf(':') + 1).toLowerCase();
  if (scheme === 'data:' || scheme === 'blob:') return true;
  if (dev && (scheme === 'devtools:' || scheme === 'chrome-extension:')) return true;
  return false;
}

/**
 * Applies the session-wide rules: every permission request and check denied,
 * no device access, downloads cancelled, requests outside the kiosk cancelled.
 */
export function secureSession(session: SecuredSession, opts: { dev: boolean; log: SecurityLog }): void {
  session.setPermissionRequestHandler((_wc, permission, callback) => {
    opts.log('permission-denied', { permission, reason: permissionDenialReason(permission) });
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.on('will-download', (event, item) => {
    event.preventDefault();
    item.cancel();
    opts.log('download-blocked', {});
  });
  session.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRequest(details.url, opts.dev);
    if (!allowed) opts.log('request-blocked', { url: details.url });
    callback(allowed ? {} : { cancel: true });
  });
}

/** The web-contents events the navigation rules use. */
export interface GuardedContents {
  on(
    event: 'will-navigate' | 'will-redirect',
    listener: (event: { preventDefault(): void; url: string }) => void,
  ): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  on(event: 'will-prevent-unload', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  loadURL(url: string): Promise<void>;
}

/**
 * Guards one web contents: navigation outside `app://kiosk/` is cancelled, no
 * window is ever opened (an in-app link that asks for one loads in the kiosk
 * window instead), `<webview>` is never attached, and `beforeunload` cannot
 * hold the page.
 */
export function guardContents(contents: GuardedContents, log: SecurityLog): void {
  const onNavigate = (event: { preventDefault(): void; url: string }) => {
    if (!isInAppUrl(event.url)) {
      event.preventDefault();
      log('navigation-blocked', { url: event.url });
    }
  };
  contents.on('will-navigate', onNavigate);
  contents.on('will-redirect', onNavigate);
  contents.setWindowOpenHandler(({ url }) => {
    if (isInAppUrl(url)) {
      contents.loadURL(url).catch(() => undefined);
    } else {
      log('window-blocked', { url });
    }
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('webview-blocked', {});
  });
  // A page's beforeunload must never stop a recovery reload (here preventDefault means "unload anyway").
  contents.on('will-prevent-unload', (event) => event.preventDefault());
}

/** The app event that hands us every web contents as it is created. */
export interface ContentsSource {
  on(event: 'web-contents-created', listener: (event: unknown, contents: GuardedContents) => void): unknown;
}

/** Guards every web contents the app ever creates, not just the kiosk window's. */
export function guardAllContents(app: ContentsSource, log: SecurityLog): void {
  app.on('web-contents-created', (_event, contents) => guardContents(contents, log));
}
