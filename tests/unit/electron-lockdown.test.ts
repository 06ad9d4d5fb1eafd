import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import {
  isBlockedKey,
  lockDownWindow,
  removeMenu,
  type KeyInput,
  type LockableContents,
  type LockableWindow,
} from '../../main/electron/lockdown.js';

function key(k: string, mods: Partial<KeyInput> = {}): KeyInput {
  return { type: 'keyDown', key: k, control: false, meta: false, alt: false, shift: false, ...mods };
}

class FakeContents extends EventEmitter {
  zoom = 1;
  limits: [number, number] | undefined;
  setZoomFactor(f: number) {
    this.zoom = f;
  }
  setVisualZoomLevelLimits(min: number, max: number) {
    this.limits = [min, max];
    return Promise.resolve();
  }
}

function locked(opts: { dev?: boolean; quitting?: boolean } = {}) {
  const win = new EventEmitter();
  const contents = new FakeContents();
  let quitting = opts.quitting ?? false;
  lockDownWindow(win as unknown as LockableWindow, contents as unknown as LockableContents, {
    dev: opts.dev ?? false,
    isQuitting: () => quitting,
  });
  return { win, contents, quit: () => (quitting = true) };
}

function press(contents: EventEmitter, input: KeyInput): boolean {
  const event = {
    prevented: false,
    preventDefault() {
      this.prevented = true;
    },
  };
  contents.emit('before-input-event', event, input);
  return event.prevented;
}

describe('keyboard lockdown', () => {
  const blocked: Array<[string, KeyInput]> = [
    ['reload (Ctrl+R)', key('r', { control: true })],
    ['hard reload (Ctrl+Shift+R)', key('R', { control: true, shift: true })],
    ['reload (F5)', key('F5')],
    ['reload (Cmd+R)', key('r', { meta: true })],
    ['DevTools (F12)', key('F12')],
    ['DevTools (Ctrl+Shift+I)', key('I', { control: true, shift: true })],
    ['zoom in (Ctrl+=)', key('=', { control: true })],
    ['zoom out (Ctrl+-)', key('-', { control: true })],
    ['zoom reset (Ctrl+0)', key('0', { control: true })],
    ['staff exit is not for visitors (Ctrl+Shift+Q)', key('Q', { control: true, shift: true })],
    ['quit (Cmd+Q)', key('q', { meta: true })],
    ['close (Ctrl+W)', key('w', { control: true })],
    ['close (Alt+F4)', key('F4', { alt: true })],
    ['back (Alt+Left)', key('ArrowLeft', { alt: true })],
    ['print (Ctrl+P)', key('p', { control: true })],
    ['leave fullscreen (F11)', key('F11')],
    ['browser back key', key('BrowserBack')],
    ['browser refresh key', key('BrowserRefresh')],
  ];
  it.each(blocked)('swallows %s', (_name, input) => {
    expect(isBlockedKey(input, { dev: false })).toBe(true);
    expect(press(locked().contents, input)).toBe(true);
  });

  it('passes plain keys to the page so it stays keyboard-usable', () => {
    for (const k of ['ArrowLeft', 'ArrowRight', 'Enter', ' ', 'Tab', 'Escape', 'a']) {
      expect(isBlockedKey(key(k), { dev: false }), k).toBe(false);
    }
    expect(isBlockedKey(key('Tab', { shift: true }), { dev: false })).toBe(false);
    expect(press(locked().contents, key('ArrowRight'))).toBe(false);
  });

  it('lets a developer open DevTools, but still not reload', () => {
    expect(press(locked({ dev: true }).contents, key('F12'))).toBe(false);
    expect(press(locked({ dev: true }).contents, key('I', { control: true, shift: true }))).toBe(false);
    expect(press(locked({ dev: true }).contents, key('r', { control: true }))).toBe(true);
  });
});

describe('zoom lockdown', () => {
  it('holds pinch zoom at 1 from the start and after every load', () => {
    const { contents } = locked();
    expect(contents.limits).toEqual([1, 1]);
    contents.limits = undefined;
    contents.zoom = 1.5;
    contents.emit('did-finish-load');
    expect(contents.limits).toEqual([1, 1]);
    expect(contents.zoom).toBe(1);
  });

  it('refuses Ctrl+wheel zoom', () => {
    const { contents } = locked();
    const event = { preventDefault: vi.fn() };
    contents.zoom = 2;
    contents.emit('zoom-changed', event, 'in');
    expect(event.preventDefault).toHaveBeenCalled();
    expect(contents.zoom).toBe(1);
  });
});

describe('window lockdown', () => {
  it('removes the application menu and its accelerators', () => {
    const setApplicationMenu = vi.fn();
    removeMenu({ setApplicationMenu });
    expect(setApplicationMenu).toHaveBeenCalledWith(null);
  });

  it('refuses to close unless the app is quitting', () => {
    const { win, quit } = locked();
    const attempt = { preventDefault: vi.fn() };
    win.emit('close', attempt);
    expect(attempt.preventDefault).toHaveBeenCalled();
    quit();
    const onQuit = { preventDefault: vi.fn() };
    win.emit('close', onQuit);
    expect(onQuit.preventDefault).not.toHaveBeenCalled();
  });
});
