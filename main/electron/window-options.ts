/**
 * The kiosk window's construction options, as a pure function so the
 * security-relevant choices are unit-tested rather than buried in start-up code.
 */
import type { BrowserWindowConstructorOptions } from 'electron';

/** The exhibit's background (the design's deep ink), painted before the first frame. */
const KIOSK_BACKGROUND = '#14171c';

/** What the window depends on. */
export interface WindowConfig {
  /** Developer mode: DevTools allowed. Never on a museum floor. */
  dev: boolean;
  /** A normal framed window instead of kiosk fullscreen (for development only). */
  windowed: boolean;
  /**
   * The display to cover. Without a window manager (bare X, common on kiosks)
   * nobody resizes a fullscreen window, so the kiosk places itself.
   */
  bounds?: { x: number; y: number; width: number; height: number };
}

/**
 * Options for the one visitor window: fullscreen kiosk, dark until the first
 * paint (`show: false`, shown on `ready-to-show`), and a renderer with no
 * Node.js, a sandbox and context isolation.
 */
export function kioskWindowOptions(config: WindowConfig): BrowserWindowConstructorOptions {
  const kiosk = !config.windowed;
  return {
    title: 'Vitrine',
    // Shown by the caller on `ready-to-show`, so visitors never see a blank or white frame.
    show: false,
    backgroundColor: KIOSK_BACKGROUND,
    kiosk,
    fullscreen: kiosk,
    frame: !kiosk,
    autoHideMenuBar: true,
    ...(kiosk ? (config.bounds ?? {}) : { width: 1920, height: 1080, useContentSize: true }),
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      enableWebSQL: false,
      navigateOnDragDrop: false,
      // alert()/confirm() would block an unattended kiosk behind a dialog nobody dismisses.
      disableDialogs: true,
      spellcheck: false,
      devTools: config.dev,
      // The attract loop must keep moving even when the OS thinks the window is occluded.
      backgroundThrottling: false,
      // Narration and the attract loop's ambient bed start without a prior tap.
      autoplayPolicy: 'no-user-gesture-required',
      zoomFactor: 1,
    },
  };
}
