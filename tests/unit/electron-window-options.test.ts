import { describe, expect, it } from 'vitest';
import { kioskWindowOptions } from '../../main/electron/window-options.js';
import { pageBackground } from './page-background.js';

describe('kioskWindowOptions', () => {
  const kiosk = kioskWindowOptions({ dev: false, windowed: false });

  it('opens a fullscreen kiosk window with no frame', () => {
    expect(kiosk.kiosk).toBe(true);
    expect(kiosk.fullscreen).toBe(true);
    expect(kiosk.frame).toBe(false);
  });

  it('stays hidden until the first paint, over the colour the page paints first (no white or odd flash)', () => {
    expect(kiosk.show).toBe(false);
    const page = pageBackground();
    // The window, the page's inline first paint and its stylesheet all show the same colour.
    expect(String(kiosk.backgroundColor).toLowerCase()).toBe(page.token);
    expect(page.inline).toBe(page.token);
    expect(String(kioskWindowOptions({ dev: true, windowed: true }).backgroundColor).toLowerCase()).toBe(
      page.token,
    );
  });

  it('gives the page no Node.js, a sandbox and an isolated context', () => {
    const wp = kiosk.webPreferences!;
    expect(wp.contextIsolation).toBe(true);
    expect(wp.sandbox).toBe(true);
    expect(wp.nodeIntegration).toBe(false);
    expect(wp.nodeIntegrationInWorker).toBe(false);
    expect(wp.nodeIntegrationInSubFrames).toBe(false);
    expect(wp.webSecurity).toBe(true);
    expect(wp.allowRunningInsecureContent).toBe(false);
    expect(wp.webviewTag).toBe(false);
    expect(wp.preload).toBeUndefined();
    expect(wp.spellcheck).toBe(false);
  });

  it('covers the given display, so it is fullscreen even without a window manager', () => {
    const o = kioskWindowOptions({
      dev: false,
      windowed: false,
      bounds: { x: 0, y: 0, width: 1080, height: 1920 },
    });
    expect(o).toMatchObject({ x: 0, y: 0, width: 1080, height: 1920, kiosk: true });
  });

  it('allows DevTools only in developer mode', () => {
    expect(kiosk.webPreferences!.devTools).toBe(false);
    expect(kioskWindowOptions({ dev: true, windowed: false }).webPreferences!.devTools).toBe(true);
  });

  it('keeps the sandbox even in a windowed developer window', () => {
    const dev = kioskWindowOptions({ dev: true, windowed: true });
    expect(dev.kiosk).toBe(false);
    expect(dev.fullscreen).toBe(false);
    expect(dev.show).toBe(false);
    expect(dev.webPreferences!.sandbox).toBe(true);
    expect(dev.webPreferences!.contextIsolation).toBe(true);
    expect(dev.webPreferences!.nodeIntegration).toBe(false);
  });
});
