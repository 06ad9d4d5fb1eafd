import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { BrowserWindowConstructorOptions } from 'electron';
import { SHOW_FALLBACK_MS, openKioskWindow, type KioskWindow } from '../../main/electron/window.js';
import type { RecoverableApp } from '../../main/electron/recovery.js';
import { pageBackground } from './page-background.js';

class FakeContents extends EventEmitter {
  loads: string[] = [];
  zoom = 1;
  isDestroyed = () => false;
  loadURL(url: string) {
    this.loads.push(url);
    return Promise.resolve();
  }
  forcefullyCrashRenderer() {}
  setZoomFactor(f: number) {
    this.zoom = f;
  }
  setVisualZoomLevelLimits() {}
}

class FakeWindow extends EventEmitter {
  visible = false;
  webContents = new FakeContents();
  constructor(readonly options: BrowserWindowConstructorOptions) {
    super();
  }
  show = vi.fn(() => void (this.visible = true));
  focus = vi.fn();
  restore = vi.fn();
  isMinimized = () => false;
  isVisible = () => this.visible;
  isDestroyed = () => false;
}

function open(extra: Partial<Parameters<typeof openKioskWindow>[0]> = {}) {
  const timers: Array<{ fn: () => void; ms: number; id: number }> = [];
  const clock = {
    now: () => 0,
    setTimeout: (fn: () => void, ms: number) => {
      const id = timers.length + 1;
      timers.push({ fn, ms, id });
      return id;
    },
    clearTimeout: (id: unknown) => {
      const i = timers.findIndex((t) => t.id === id);
      if (i >= 0) timers.splice(i, 1);
    },
  };
  let win: FakeWindow | undefined;
  const app = Object.assign(new EventEmitter(), { relaunch: vi.fn(), exit: vi.fn() });
  const log = vi.fn();
  openKioskWindow({
    createWindow: (options) => (win = new FakeWindow(options)) as unknown as KioskWindow,
    app: app as unknown as RecoverableApp,
    config: { dev: false, windowed: false },
    clock,
    log,
    isQuitting: () => false,
    ...extra,
  });
  return { win: win!, timers, log };
}

describe('openKioskWindow', () => {
  it('creates a hidden, sandboxed kiosk window over the colour the page paints first, and loads app://kiosk/', () => {
    const { win } = open();
    expect(win.options.show).toBe(false);
    // Until the first paint the window shows its own background: it must be the page's, or it flashes.
    expect(String(win.options.backgroundColor).toLowerCase()).toBe(pageBackground().token);
    expect(win.options.kiosk).toBe(true);
    expect(win.options.webPreferences?.sandbox).toBe(true);
    expect(win.webContents.loads).toEqual(['app://kiosk/']);
  });

  it('is not shown before ready-to-show, and is shown when it fires', () => {
    const { win, timers } = open();
    expect(win.show).not.toHaveBeenCalled();
    expect(win.visible).toBe(false);
    win.emit('ready-to-show');
    expect(win.show).toHaveBeenCalledTimes(1);
    expect(win.focus).toHaveBeenCalled();
    // The fallback timer is cancelled, so the window is never "shown" twice.
    expect(timers.find((t) => t.ms === SHOW_FALLBACK_MS)).toBeUndefined();
  });

  it('shows the dark window after a long wait if the first paint never comes', () => {
    const { win, timers, log } = open();
    const fallback = timers.find((t) => t.ms === SHOW_FALLBACK_MS);
    expect(fallback).toBeDefined();
    fallback!.fn();
    expect(win.show).toHaveBeenCalledTimes(1);
    expect(log).toHaveBeenCalledWith('window-shown', { why: 'fallback' });
  });

  it('is locked down and supervised from the start', () => {
    const { win } = open();
    expect(win.listenerCount('close')).toBe(1);
    expect(win.webContents.listenerCount('before-input-event')).toBe(1);
    expect(win.webContents.listenerCount('render-process-gone')).toBe(1);
    expect(win.listenerCount('unresponsive')).toBe(1);
  });

  it('opens on the resting page, with the exhibit title, when earlier runs kept failing', () => {
    const failures = [1, 2, 3, 4, 5].map((i) => -i * 1_000);
    const { win } = open({ record: { failures }, title: () => 'The Siege' });
    expect(win.webContents.loads).toHaveLength(1);
    const page = decodeURIComponent(win.webContents.loads[0]!.replace(/^data:text\/html;charset=utf-8,/, ''));
    expect(page).toContain('<h1>The Siege</h1>');
    expect(page).toContain('Back soon');
  });

  it('still rests, without a title, when reading the title fails', () => {
    const { win } = open({
      record: { failures: [0, 0, 0, 0, 0] },
      title: () => {
        throw new Error('no content');
      },
    });
    expect(win.webContents.loads[0]).toMatch(/^data:text\/html/);
    expect(decodeURIComponent(win.webContents.loads[0]!)).not.toContain('<h1>');
  });
});
