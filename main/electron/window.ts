/**
 * Creates the one kiosk window: built from {@link kioskWindowOptions}, locked
 * down, supervised for crashes, and shown only once its first frame is painted.
 */
import type { BrowserWindowConstructorOptions } from 'electron';
import type { EventLog } from '../common/log.js';
import { lockDownWindow, type LockableContents } from './lockdown.js';
import type { FailureRecord } from './failure-record.js';
import {
  superviseRenderer,
  type Clock,
  type RecoverableApp,
  type RecoverableContents,
  type RecoveryPolicy,
  type RestartReason,
} from './recovery.js';
import { restingPageUrl } from './resting.js';
import { APP_URL } from './security.js';
import type { FocusableWindow } from './single-instance.js';
import { kioskWindowOptions, type WindowConfig } from './window-options.js';

/** How long to wait for `ready-to-show` before showing the (dark) window anyway. */
export const SHOW_FALLBACK_MS = 10_000;

/** The window surface used here (a `BrowserWindow`). */
export interface KioskWindow extends FocusableWindow {
  on(event: 'close', listener: (event: { preventDefault(): void }) => void): unknown;
  on(event: 'unresponsive' | 'responsive', listener: () => void): unknown;
  once(event: 'ready-to-show', listener: () => void): unknown;
  isVisible(): boolean;
  isDestroyed(): boolean;
  webContents: LockableContents & RecoverableContents;
}

/** What {@link openKioskWindow} needs. */
export interface KioskWindowDeps {
  createWindow: (options: BrowserWindowConstructorOptions) => KioskWindow;
  app: RecoverableApp;
  config: WindowConfig;
  clock: Clock;
  log: EventLog;
  isQuitting: () => boolean;
  /** See `RecoveryDeps.onRendererGone`: a renderer crash right after a content swap rolls it back. */
  onRendererGone?: (reason: string) => void;
  /** See `RecoveryDeps.restart`. */
  restart?: () => void;
  /** See `RecoveryDeps.onResting`. */
  onResting?: (why: string) => void;
  /** See `RecoveryDeps.onRestart`: counts the screen's restarts in the metrics. */
  onRestart?: (reason: RestartReason) => void;
  /** The exhibit's title for the resting page, if there is valid content. */
  title?: () => string | undefined;
  /** See `RecoveryDeps`: when to rest, and the failures of earlier runs and where to keep them. */
  policy?: RecoveryPolicy;
  record?: FailureRecord;
  save?: (record: FailureRecord) => void;
}

/** The opened window and a function that stops its supervision. */
export interface OpenedKiosk {
  window: KioskWindow;
  stop: () => void;
}

/**
 * Opens the kiosk window on `app://kiosk/` (or on the resting page, when the
 * failures of earlier runs say so: see ./recovery.ts). It stays hidden until Chromium
 * says the first frame is ready (no white or half-drawn flash); should that
 * never come (a load that keeps failing), the dark window is shown after
 * {@link SHOW_FALLBACK_MS} so staff see something rather than nothing.
 */
export function openKioskWindow(deps: KioskWindowDeps): OpenedKiosk {
  const win = deps.createWindow(kioskWindowOptions(deps.config));
  const show = (why: string) => {
    if (win.isDestroyed() || win.isVisible()) return;
    deps.log('window-shown', { why });
    win.show();
    win.focus();
  };
  const fallback = deps.clock.setTimeout(() => show('fallback'), SHOW_FALLBACK_MS);
  win.once('ready-to-show', () => {
    deps.clock.clearTimeout(fallback);
    show('ready-to-show');
  });
  lockDownWindow(win, win.webContents, { dev: deps.config.dev, isQuitting: deps.isQuitting });
  const stopRecovery = superviseRenderer({
    app: deps.app,
    window: win,
    contents: win.webContents,
    url: APP_URL,
    clock: deps.clock,
    log: deps.log,
    isQuitting: deps.isQuitting,
    onRendererGone: deps.onRendererGone,
    onResting: deps.onResting,
    onRestart: deps.onRestart,
    restart: deps.restart,
    restingUrl: () => restingPageUrl(safeTitle(deps.title)),
    policy: deps.policy,
    record: deps.record,
    save: deps.save,
  });
  return {
    window: win,
    stop: () => {
      deps.clock.clearTimeout(fallback);
      stopRecovery();
    },
  };
}

/** The title for the resting page; a failure to get it only leaves the page without one. */
function safeTitle(title: (() => string | undefined) | undefined): string | undefined {
  try {
    return title?.();
  } catch {
    return undefined;
  }
}
