/**
 * Kiosk lockdown: no menu, no browser shortcuts (reload, DevTools, zoom, print,
 * close, quit, history), no page zoom by pinch or wheel, and the window closes
 * only when the app itself is quitting. Leaving kiosk mode is the staff panel's
 * job, behind its PIN; no key combination is given to visitors.
 */

/** The parts of a key event the rules look at (Electron's `Input`). */
export interface KeyInput {
  type: string;
  key: string;
  code?: string;
  control: boolean;
  meta: boolean;
  alt: boolean;
  shift: boolean;
}

// Keys that belong to the browser, not the page: function keys and media/browser keys.
const BROWSER_KEYS = new Set([
  'BrowserBack',
  'BrowserForward',
  'BrowserRefresh',
  'BrowserStop',
  'BrowserSearch',
  'BrowserFavorites',
  'BrowserHome',
  'ContextMenu',
  'Print',
  'PrintScreen',
  'Help',
  'Find',
  'Open',
  'Save',
  'Close',
  'New',
  'ZoomIn',
  'ZoomOut',
  'ZoomToggle',
]);

/** True for the developer-mode DevTools shortcuts (F12, Ctrl/Cmd+Shift+I). */
function isDevToolsShortcut(input: KeyInput): boolean {
  if (input.key === 'F12') return true;
  return (input.control || input.meta) && input.shift && input.key.toLowerCase() === 'i';
}

/**
 * Whether a key event must be swallowed before the browser sees it. Deny by
 * default: any combination with Ctrl, Cmd or Alt (reload, zoom, print, close,
 * quit, back/forward, DevTools), every function key, and the browser/media
 * keys. Plain keys (letters, arrows, Tab, Enter, Space, Escape) pass to the
 * page, so a keyboard-only visitor can still use it.
 */
export function isBlockedKey(input: KeyInput, opts: { dev: boolean }): boolean {
  if (opts.dev && isDevToolsShortcut(input)) return false;
  if (input.control || input.meta || input.alt) return true;
  if (/^F\d{1,2}$/.test(input.key)) return true;
  if (BROWSER_KEYS.has(input.key)) return true;
  return false;
}

/** The menu module's one method used here. */
export interface MenuApi {
  setApplicationMenu(menu: null): void;
}

/** Removes the application menu, and with it every accelerator it carried (reload, zoom, DevTools, quit). */
export function removeMenu(menu: MenuApi): void {
  menu.setApplicationMenu(null);
}

/** The web-contents methods the lockdown uses. */
export interface LockableContents {
  on(
    event: 'before-input-event',
    listener: (event: { preventDefault(): void }, input: KeyInput) => void,
  ): unknown;
  on(event: 'did-finish-load', listener: () => void): unknown;
  on(event: 'zoom-changed', listener: (event: { preventDefault(): void }) => void): unknown;
  setVisualZoomLevelLimits(min: number, max: number): Promise<void> | void;
  setZoomFactor(factor: number): void;
}

/** The window methods the lockdown uses. */
export interface LockableWindow {
  on(event: 'close', listener: (event: { preventDefault(): void }) => void): unknown;
}

/**
 * Locks one kiosk window: swallows browser shortcuts, holds page zoom at 100 %
 * (pinch and Ctrl+wheel), and refuses to close unless `isQuitting()` says the
 * app is deliberately shutting down (so Alt+F4 or a stray WM gesture cannot
 * leave visitors looking at the desktop).
 */
export function lockDownWindow(
  win: LockableWindow,
  contents: LockableContents,
  opts: { dev: boolean; isQuitting: () => boolean },
): void {
  contents.on('before-input-event', (event, input) => {
    if (isBlockedKey(input, opts)) event.preventDefault();
  });
  const holdZoom = () => {
    contents.setZoomFactor(1);
    void Promise.resolve(contents.setVisualZoomLevelLimits(1, 1)).catch(() => undefined);
  };
  holdZoom();
  // Chromium remembers zoom per origin and resets the visual limits on each load.
  contents.on('did-finish-load', holdZoom);
  contents.on('zoom-changed', (event) => {
    event.preventDefault();
    contents.setZoomFactor(1);
  });
  win.on('close', (event) => {
    if (!opts.isQuitting()) event.preventDefault();
  });
}
