/**
 * One kiosk per machine: a second launch (a double-clicked shortcut, an
 * autostart racing a watchdog) quits at once and brings the running kiosk to
 * the front instead of opening a second fullscreen window over it.
 */

/** The app methods used here. */
export interface SingleInstanceApp {
  requestSingleInstanceLock(): boolean;
  quit(): void;
  on(event: 'second-instance', listener: () => void): unknown;
}

/** The window methods used to bring the running kiosk forward. */
export interface FocusableWindow {
  isMinimized(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
}

/**
 * Takes the single-instance lock. Returns false (and asks the app to quit) if
 * another instance holds it; otherwise refocuses `getWindow()` whenever a
 * second instance starts.
 */
export function claimSingleInstance(
  app: SingleInstanceApp,
  getWindow: () => FocusableWindow | undefined,
): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => {
    const win = getWindow();
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  });
  return true;
}
