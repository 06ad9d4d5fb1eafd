/**
 * How `npm start` runs the kiosk: in Electron when its binary is installed;
 * otherwise (an offline install) in an installed Chromium in kiosk app mode,
 * served by the browser host and supervised; with no display, serve only.
 * The decisions are pure functions; the Chromium supervisor takes its process
 * spawning and clock injected. Nothing here imports `electron`: in electron@45
 * `require('electron')` without the binary starts a network download and
 * throws with a stack trace, so the binary is located from `path.txt` instead.
 */
import path from 'node:path';
import type { KioskMetrics } from '../metrics/metrics.js';
import type { BrowserLookup } from './find-browser.js';
import { QUIET_CHROMIUM_FLAGS } from './find-browser.js';

/** Where Electron's binary is, or why it is not usable. */
export type ElectronBinary = { ok: true; path: string } | { ok: false; reason: string };

/** File-system reads needed to locate the binary (injected for tests). */
export interface BinaryFs {
  exists(file: string): boolean;
  readFile(file: string): string;
}

/**
 * Locates the Electron executable the way the `electron` package's index.js
 * does (`ELECTRON_OVERRIDE_DIST_PATH`, else `dist/` + the name in `path.txt`),
 * but without ever starting a download.
 *
 * @param electronDir the installed `electron` package folder, if it resolves at all
 */
export function findElectronBinary(
  electronDir: string | undefined,
  env: Record<string, string | undefined>,
  fs: BinaryFs,
): ElectronBinary {
  if (!electronDir) return { ok: false, reason: 'the electron package is not installed' };
  const pathFile = path.join(electronDir, 'path.txt');
  let name: string | undefined;
  if (fs.exists(pathFile)) {
    try {
      name = fs.readFile(pathFile).trim() || undefined;
    } catch {
      name = undefined;
    }
  }
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  const binary = override
    ? path.join(override, name ?? 'electron')
    : name
      ? path.join(electronDir, 'dist', name)
      : undefined;
  if (!binary) {
    return {
      ok: false,
      reason: `the Electron binary is not installed (offline install) at ${path.join(electronDir, 'dist')}`,
    };
  }
  if (!fs.exists(binary))
    return { ok: false, reason: `the Electron binary is not installed (offline install) at ${binary}` };
  return { ok: true, path: binary };
}

/**
 * The port `npm start`'s browser host listens on when `--port` is not given.
 * Fixed, so the kiosk's address, and with it the page's origin, is the same at
 * every start: the kiosk browser's profile then keeps one HTTP cache and one
 * compiled-code cache for it, warm each morning, instead of a cold one per
 * start and one more origin's data left in the profile every day. 8487 ("VITR"
 * on a phone keypad) is below every system's range of ephemeral ports, so no
 * outgoing connection takes it, and is no common development server's default;
 * `npm run preview` keeps its own port, so both can run side by side.
 */
export const DEFAULT_KIOSK_PORT = 8487;

/**
 * The port `npm start` serves the kiosk on: `--port N` when given (0: any free
 * port), else `fallback`, which is {@link DEFAULT_KIOSK_PORT} unless a caller (a test) sets another.
 */
export function kioskPort(flag: number | undefined, fallback: number = DEFAULT_KIOSK_PORT): number {
  return flag ?? fallback;
}

/** The one line `npm start` ends with when another program holds its port. */
export function portTakenLine(port: number): string {
  return `npm start: port ${port} is already in use by another program, so the kiosk cannot start. Close that program, or start the kiosk on another port: npm start -- --port ${port === 65535 ? 8488 : port + 1}`;
}

/** What `npm start` will do. */
export type StartPlan =
  | { mode: 'electron'; binary: string }
  | { mode: 'chromium'; browser: string; electronReason: string }
  | { mode: 'serve'; why: 'no-display' | 'no-open' | 'no-browser'; detail: string };

/** The facts {@link planStart} decides from. */
export interface StartFacts {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  electron: ElectronBinary;
  /** Looked up only when Electron is not usable; undefined if not looked up. */
  browser?: BrowserLookup;
  /** False when `--no-open` was given. */
  open: boolean;
}

/** True unless this is Linux with neither an X11 nor a Wayland display. */
export function hasDisplay(platform: NodeJS.Platform, env: Record<string, string | undefined>): boolean {
  return platform !== 'linux' || Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/** Decides how to run the kiosk (pure). */
export function planStart(facts: StartFacts): StartPlan {
  if (!facts.open) return { mode: 'serve', why: 'no-open', detail: '--no-open was given' };
  if (!hasDisplay(facts.platform, facts.env)) {
    return {
      mode: 'serve',
      why: 'no-display',
      detail: 'no display (neither DISPLAY nor WAYLAND_DISPLAY is set)',
    };
  }
  if (facts.electron.ok) return { mode: 'electron', binary: facts.electron.path };
  if (facts.browser?.ok) {
    return { mode: 'chromium', browser: facts.browser.path, electronReason: facts.electron.reason };
  }
  return {
    mode: 'serve',
    why: 'no-browser',
    detail: facts.browser && !facts.browser.ok ? facts.browser.message : 'no Chromium or Chrome found',
  };
}

/** The one line `npm start` prints once the kiosk is up (not used for the Electron mode, which prints its own). */
export function startLine(plan: Exclude<StartPlan, { mode: 'electron' }>, url: string): string {
  switch (plan.mode) {
    case 'chromium':
      return `Electron's binary isn't available (offline install), so Vitrine runs the same kiosk in Chromium kiosk app mode: ${url}`;
    case 'serve':
      return plan.why === 'no-open'
        ? `Vitrine kiosk served at ${url} (--no-open: no window opened).`
        : `Vitrine kiosk served at ${url}; no kiosk window opened: ${plan.detail}.`;
  }
}

/**
 * A dedicated, persistent Chromium profile for the kiosk, apart from anyone's
 * everyday browser profile.
 */
export function kioskProfileDir(
  platform: NodeJS.Platform,
  env: Record<string, string | undefined>,
  home: string,
): string {
  if (platform === 'win32') {
    return path.win32.join(
      env.LOCALAPPDATA ?? path.win32.join(home, 'AppData', 'Local'),
      'Vitrine',
      'chromium-kiosk',
    );
  }
  if (platform === 'darwin')
    return path.posix.join(home, 'Library', 'Application Support', 'Vitrine', 'chromium-kiosk');
  return path.posix.join(
    env.XDG_CONFIG_HOME || path.posix.join(home, '.config'),
    'vitrine',
    'chromium-kiosk',
  );
}

/** Chromium features the kiosk turns off (one `--disable-features` list: Chromium honours only the last). */
const KIOSK_DISABLED_FEATURES = ['TranslateUI', 'TouchpadOverscrollHistoryNavigation', 'GlobalMediaControls'];

/** {@link QUIET_CHROMIUM_FLAGS} with the kiosk's features merged into its one `--disable-features`. */
function quietKioskFlags(): string[] {
  const prefix = '--disable-features=';
  const quiet = QUIET_CHROMIUM_FLAGS.find((f) => f.startsWith(prefix));
  const features = [...(quiet ? quiet.slice(prefix.length).split(',') : []), ...KIOSK_DISABLED_FEATURES];
  return [...QUIET_CHROMIUM_FLAGS.filter((f) => !f.startsWith(prefix)), `${prefix}${features.join(',')}`];
}

/**
 * The Chromium command line for the kiosk: fullscreen app mode, quiet, no
 * crash bubbles, no browser zoom or swipe-back, no permission prompts,
 * notifications, extensions or pop-up windows. DevTools cannot be turned off
 * by a switch: that takes the managed policy of {@link chromiumKioskPolicy}
 * (docs/deploy.md says where it goes). The page itself refuses the context menu.
 */
export function chromiumKioskArgs(
  url: string,
  profileDir: string,
  opts: { noSandbox: boolean; screen?: ScreenSize },
): string[] {
  return [
    '--kiosk',
    `--app=${url}`,
    `--user-data-dir=${profileDir}`,
    ...quietKioskFlags(),
    '--deny-permission-prompts',
    '--disable-notifications',
    '--disable-extensions',
    '--disable-default-apps',
    '--block-new-web-contents',
    '--no-pings',
    '--noerrdialogs',
    '--disable-session-crashed-bubble',
    '--hide-crash-restore-bubble',
    '--disable-infobars',
    '--disable-pinch',
    '--overscroll-history-navigation=0',
    '--check-for-update-interval=31536000',
    '--password-store=basic',
    // Chromium refuses to start as root without it (e.g. in a container); only then.
    ...(opts.noSandbox ? ['--no-sandbox'] : []),
    // Without a window manager (bare X, as on many kiosks) --kiosk cannot go fullscreen by itself.
    ...(opts.screen
      ? ['--window-position=0,0', `--window-size=${opts.screen.width},${opts.screen.height}`]
      : []),
  ];
}

/** The policy file's name; docs/deploy.md says where a technician copies it. */
export const CHROMIUM_POLICY_FILE = 'vitrine-kiosk-policy.json';

/**
 * Chromium's managed policy for a kiosk machine: no DevTools, no task
 * manager, no browser pages (settings, history, file://), nothing to sign in
 * to, download, print, translate or autofill, no prompts. Chromium reads it
 * only from a system folder (`/etc/chromium/policies/managed/` for Debian's
 * chromium, `/etc/opt/chrome/policies/managed/` for Google Chrome) or, on
 * Windows, the registry, so `npm start` writes it to the user-data folder and
 * a technician installs it once (docs/deploy.md).
 */
export function chromiumKioskPolicy(): Record<string, unknown> {
  return {
    DeveloperToolsAvailability: 2,
    TaskManagerEnabled: false,
    URLBlocklist: ['chrome://*', 'chrome-extension://*', 'devtools://*', 'view-source:*', 'file://*'],
    BrowserSignin: 0,
    SyncDisabled: true,
    BrowserGuestModeEnabled: false,
    BrowserAddPersonEnabled: false,
    IncognitoModeAvailability: 1,
    DownloadRestrictions: 3,
    PrintingEnabled: false,
    TranslateEnabled: false,
    SpellcheckEnabled: false,
    PasswordManagerEnabled: false,
    AutofillAddressEnabled: false,
    AutofillCreditCardEnabled: false,
    DefaultNotificationsSetting: 2,
    DefaultGeolocationSetting: 2,
    DefaultPopupsSetting: 2,
    AudioCaptureAllowed: false,
    VideoCaptureAllowed: false,
    ScreenCaptureAllowed: false,
    ExtensionInstallBlocklist: ['*'],
    AllowDinosaurEasterEgg: false,
    MetricsReportingEnabled: false,
    DefaultBrowserSettingEnabled: false,
    BackgroundModeEnabled: false,
    AutoplayAllowed: true,
  };
}

/** A display's size in pixels. */
export interface ScreenSize {
  width: number;
  height: number;
}

/** Reads the screen size from `xdpyinfo` output (`dimensions:    1920x1080 pixels ...`). */
export function parseXdpyinfoDimensions(text: string): ScreenSize | undefined {
  const m = /dimensions:\s+(\d+)x(\d+) pixels/.exec(text);
  if (!m) return undefined;
  const width = Number(m[1]);
  const height = Number(m[2]);
  return width > 0 && height > 0 ? { width, height } : undefined;
}

/** A started kiosk process (browser or Electron), as far as the supervisor needs it. */
export interface SupervisedChild {
  once(event: 'exit', listener: (code: number | null, signal: string | null) => void): unknown;
  once(event: 'error', listener: (error: Error) => void): unknown;
  kill(signal?: NodeJS.Signals): boolean;
}

/** Injected process spawning and clock, and what to call the process in messages. */
export interface SupervisorDeps {
  /** E.g. "kiosk browser" or "Electron kiosk". */
  name: string;
  spawn(command: string, args: readonly string[]): SupervisedChild;
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  log(line: string): void;
  /**
   * Called once when supervision ends by itself: a clean exit (code 0, staff
   * closed the kiosk) or an exit code listed in `fatalCodes`. The caller shuts down.
   */
  onEnd(code: number): void;
  /** Exit codes that relaunching cannot fix (e.g. 2: bad configuration). */
  fatalCodes?: readonly number[];
  /** Exit codes that ask to be started again at once, not counted as a crash (`RESTART_EXIT_CODE`, main/kiosk/restart.ts). */
  restartCodes?: readonly number[];
  /**
   * Treat a clean exit (code 0) that the supervisor did not ask for as a
   * crash: a kiosk browser closed with Alt+F4 or its own shortcuts comes back.
   * Only {@link KioskSupervisor.stop} (the staff panel's exit, a signal) ends it.
   */
  restartOnCleanExit?: boolean;
  /**
   * Told as the process is started again after a failure: `crash` when it
   * ended unasked (crash, kill, closed), `start-failed` when it could not start.
   * Not told for a restart it asked for (`restartCodes`).
   */
  onRelaunch?: (reason: RelaunchReason) => void;
}

/** Why the supervisor started the process again. */
export type RelaunchReason = 'crash' | 'start-failed';

/** Pauses before the 1st, 2nd, ... relaunch after quick successive crashes; the last repeats. */
export const RELAUNCH_BACKOFF_MS = [1_000, 2_000, 5_000, 15_000, 30_000] as const;
/** A process that ran at least this long before crashing starts the back-off afresh. */
export const STABLE_RUN_MS = 5 * 60_000;

/** The pause before relaunching after the `crashes`-th quick crash in a row (1-based). */
export function relaunchDelay(crashes: number): number {
  return RELAUNCH_BACKOFF_MS[Math.min(Math.max(crashes, 1), RELAUNCH_BACKOFF_MS.length) - 1]!;
}

/**
 * Keeps the kiosk process running: a crash, kill or failed start is relaunched
 * after a growing pause, forever; a clean exit (staff closed it, unless
 * `restartOnCleanExit`) or a fatal exit code ends supervision and hands the
 * code to `onEnd`.
 */
export class KioskSupervisor {
  #deps: SupervisorDeps;
  #command: string;
  #args: readonly string[];
  #child: SupervisedChild | undefined;
  #timer: unknown;
  #crashes = 0;
  #stopped = false;

  constructor(command: string, args: readonly string[], deps: SupervisorDeps) {
    this.#command = command;
    this.#args = args;
    this.#deps = deps;
  }

  /** Launches the process. */
  start(): void {
    if (this.#stopped) return;
    const startedAt = this.#deps.now();
    let child: SupervisedChild;
    try {
      child = this.#deps.spawn(this.#command, this.#args);
    } catch (error) {
      this.#failed(startedAt, `could not start: ${(error as Error).message}`, 'start-failed');
      return;
    }
    this.#child = child;
    let settled = false;
    child.once('error', (error) => {
      if (settled) return;
      settled = true;
      this.#child = undefined;
      this.#failed(startedAt, `could not start: ${error.message}`, 'start-failed');
    });
    child.once('exit', (code, signal) => {
      if (settled) return;
      settled = true;
      this.#child = undefined;
      if (this.#stopped) return;
      if (code !== null && this.#deps.restartCodes?.includes(code)) {
        this.#deps.log(`The ${this.#deps.name} asked to restart; starting it again.`);
        this.start();
        return;
      }
      if (code === 0 && this.#deps.restartOnCleanExit) {
        this.#failed(startedAt, 'was closed without being asked to');
        return;
      }
      if (code === 0 || (code !== null && this.#deps.fatalCodes?.includes(code))) {
        this.#stopped = true;
        if (code === 0) this.#deps.log(`The ${this.#deps.name} was closed; stopping.`);
        this.#deps.onEnd(code);
        return;
      }
      this.#failed(startedAt, signal ? `was killed (${signal})` : `exited with code ${code}`);
    });
  }

  #failed(startedAt: number, what: string, reason: RelaunchReason = 'crash'): void {
    if (this.#stopped) return;
    if (this.#deps.now() - startedAt >= STABLE_RUN_MS) this.#crashes = 0;
    this.#crashes++;
    const delay = relaunchDelay(this.#crashes);
    this.#deps.log(`The ${this.#deps.name} ${what}; restarting it in ${Math.round(delay / 1000)} s.`);
    this.#timer = this.#deps.setTimeout(() => {
      this.#timer = undefined;
      try {
        this.#deps.onRelaunch?.(reason);
      } catch {
        // A counter that fails must not keep the kiosk down.
      }
      this.start();
    }, delay);
  }

  /** Stops supervising and asks the process to close. */
  stop(signal: NodeJS.Signals = 'SIGTERM'): void {
    this.#stopped = true;
    if (this.#timer !== undefined) this.#deps.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#child?.kill(signal);
    this.#child = undefined;
  }
}

/**
 * The supervisor of the kiosk browser (Chromium in kiosk app mode). Its
 * window is not the kiosk's way out: any exit it was not asked for, code 0
 * included (Alt+F4, a quit shortcut), is a crash and the browser comes back
 * after the usual back-off. The staff panel's exit goes through the host,
 * which calls `stop()`; so does a signal to `npm start`. Each relaunch is
 * counted in the kiosk's `vitrine_renderer_restarts_total`, when it has metrics.
 */
export function chromiumSupervisor(
  browser: string,
  args: readonly string[],
  deps: Omit<SupervisorDeps, 'name' | 'restartOnCleanExit' | 'fatalCodes' | 'restartCodes' | 'onRelaunch'> & {
    metrics?: Pick<KioskMetrics, 'rendererRestarted'>;
  },
): KioskSupervisor {
  const { metrics, ...rest } = deps;
  return new KioskSupervisor(browser, args, {
    ...rest,
    name: 'kiosk browser',
    restartOnCleanExit: true,
    onRelaunch: (reason) => metrics?.rendererRestarted(reason),
  });
}
