/**
 * `npm start -- [--port N] [--content DIR] [--idle-seconds S] [--attract-seconds S]
 * [--countdown-seconds S] [--no-open]`: the kiosk, fullscreen. In Electron when
 * its binary is installed; otherwise the same kiosk in an installed Chromium in
 * kiosk app mode, served by the browser host and relaunched if it crashes; with
 * no display, it serves and prints the URL. Expected failures are one line,
 * never a stack trace. The decisions live in main/cli/launcher.ts.
 */
import { execFile, spawn } from 'node:child_process';
import { constants as fsConstants, existsSync, readFileSync, realpathSync } from 'node:fs';
import { access, lstat, mkdir, realpath, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  CHROMIUM_POLICY_FILE,
  KioskSupervisor,
  chromiumKioskArgs,
  chromiumKioskPolicy,
  chromiumSupervisor,
  DEFAULT_KIOSK_PORT,
  kioskPort,
  kioskProfileDir,
  parseXdpyinfoDimensions,
  planStart,
  portTakenLine,
  startLine,
  type ScreenSize,
} from './launcher.js';
import { installedElectronBinary } from './installed-binary.js';
import { RESTART_EXIT_CODE, SUPERVISED_ENV } from '../kiosk/restart.js';
import { parseArgs, USAGE, type CliOptions } from '../kiosk/flags.js';
import { packageRoot } from '../kiosk/paths.js';
import { BROWSER_ENV_VARS, findBrowser, type BrowserLookup } from './find-browser.js';
import { ensureRendererBuilt, PortInUseError, PreviewError, startPreview, type Preview } from './preview.js';
import type { StaffHostActions } from '../handler/staff.js';
import type { LiveKioskOptions } from '../kiosk/assemble.js';
import { printConfigProblems } from '../kiosk/config.js';
import { userDataDir } from '../kiosk/paths.js';
import { openKioskLog, teeToEventLog, type EventLog } from '../common/log.js';
import { writeFileAtomic } from '../common/atomic-write.js';
import { readSmallRegularFile } from '../common/safe-read.js';
import { ContentError } from '../content/errors.js';
import { KioskAlreadyRunningError } from '../content/instance-lock.js';

/**
 * Whether dist/main holds a build of main/ exactly as it is now: the content
 * hash ./build-main.mjs stamps each build with, the same test ./start-entry.mjs
 * makes. Asked of build-main.mjs itself (`--check`), which the compiled
 * start.js cannot import: dist/main holds no copy of it.
 */
function mainBuildIsCurrent(root: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(root, 'main', 'cli', 'build-main.mjs'), '--check'],
      { cwd: root },
      (error) => resolve(!error),
    );
  });
}

/** Compiles main/ to dist/main (`npm run build:main`) when dist holds no build of main/ as it is now. */
export async function ensureMainBuilt(root: string, log: (line: string) => void): Promise<string> {
  const entry = path.join(root, 'dist', 'main', 'electron', 'main.js');
  const built = existsSync(entry);
  if (built && (await mainBuildIsCurrent(root))) return entry;
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  if (!existsSync(tsc)) {
    if (built) return entry;
    throw new PreviewError(
      'The app is not built and TypeScript is not installed: run npm install, then npm run build.',
    );
  }
  log('Building the main process (it is missing or not built from main/ as it is now)...');
  const code = await new Promise<number | null>((resolve) => {
    // `npm run build:main`'s own script, which also stamps the build for ./start-entry.mjs.
    const child = spawn(process.execPath, [path.join(root, 'main', 'cli', 'build-main.mjs')], {
      cwd: root,
      stdio: 'inherit',
    });
    child.on('error', () => resolve(-1));
    child.on('exit', resolve);
  });
  if (code !== 0) throw new PreviewError('The main-process build failed (see above); fix it and try again.');
  return entry;
}

/**
 * Playwright's own Chromium, if it has one, as `findBrowser` wants it. Asked in
 * a worker thread: Playwright's client library takes hundreds of milliseconds
 * to load, which the main thread meanwhile spends loading the kiosk.
 */
export function playwrightChromium(): Promise<string | undefined> {
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve('playwright-core');
  } catch {
    return Promise.resolve(undefined);
  }
  return new Promise((resolve) => {
    const worker = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
      let found = null;
      try {
        found = require(workerData).chromium.executablePath();
      } catch {}
      parentPort.postMessage(found);`,
      // Plain Node: the worker needs none of this process's loader flags.
      { eval: true, workerData: entry, execArgv: [] },
    );
    worker.once('message', (found: unknown) => {
      resolve(typeof found === 'string' ? found : undefined);
      void worker.terminate();
    });
    worker.once('error', () => resolve(undefined));
    worker.once('exit', () => resolve(undefined));
  });
}

/** The file in the user-data folder where `npm start` keeps Playwright's last answer. */
const PLAYWRIGHT_ANSWER_FILE = 'playwright-chromium.json';

/**
 * The folder Playwright keeps its browsers in, worked out as Playwright does
 * (its registry): `$PLAYWRIGHT_BROWSERS_PATH` ("0": inside its own package),
 * else ms-playwright in the platform's cache folder; relative to the current
 * folder when relative. Playwright's Chromium always lies under it.
 */
export function playwrightBrowsersFolder(
  playwrightPackage: string,
  env: Record<string, string | undefined>,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  const named = env.PLAYWRIGHT_BROWSERS_PATH;
  let folder: string;
  if (named === '0') folder = path.join(playwrightPackage, '.local-browsers');
  else if (named) folder = named;
  else {
    const cache =
      platform === 'darwin'
        ? path.join(home, 'Library', 'Caches')
        : platform === 'win32'
          ? env.LOCALAPPDATA || path.join(home, 'AppData', 'Local')
          : env.XDG_CACHE_HOME || path.join(home, '.cache');
    folder = path.join(cache, 'ms-playwright');
  }
  return path.resolve(env.INIT_CWD || process.cwd(), folder);
}

/**
 * Whether a kept answer may be launched as the kiosk browser: an absolute
 * path that, symlinks resolved, is an executable regular file inside
 * Playwright's browsers folder, or a path there that does not exist (Playwright
 * names its browser whether or not it is installed; `findBrowser` skips it).
 * Anything else in the cache (a script, a folder, a device) was not written by
 * `npm start` and is never run.
 */
async function isPlaywrightBrowser(candidate: string, browsers: string): Promise<boolean> {
  if (!path.isAbsolute(candidate)) return false;
  const lexically = path.relative(path.resolve(browsers), path.resolve(candidate));
  if (!lexically || lexically.startsWith('..') || path.isAbsolute(lexically)) return false;
  // Playwright's answer when its browser is not installed (a kiosk on the system's Chromium): kept
  // as it is, so that start need not ask again; an absent path is never launched (findBrowser checks).
  if ((await lstat(candidate).catch((err: NodeJS.ErrnoException) => err.code)) === 'ENOENT') return true;
  try {
    const [real, root] = await Promise.all([realpath(candidate), realpath(browsers)]);
    const inside = path.relative(root, real);
    if (!inside || inside.startsWith('..') || path.isAbsolute(inside)) return false;
    if (!(await stat(real)).isFile()) return false;
    await access(real, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * {@link playwrightChromium}, remembered in `userData`. Asking Playwright
 * costs its client library's load, hundreds of milliseconds of CPU before the
 * kiosk can bind its port at every start, yet its answer is a path that
 * changes only with Playwright's version or where it keeps its browsers: the
 * answer is kept with those, and asked again when any of them differs. The
 * kept file is only a hint: read without following links or blocking, and its
 * path used only when it is an executable file in Playwright's browsers
 * folder; anything else is ignored and Playwright asked again.
 */
export async function rememberedPlaywrightChromium(
  userData: string,
  env: Record<string, string | undefined> = process.env,
): Promise<string | undefined> {
  let version: unknown;
  let entry: string;
  try {
    const require = createRequire(import.meta.url);
    entry = require.resolve('playwright-core');
    version = (
      JSON.parse(readFileSync(path.join(path.dirname(entry), 'package.json'), 'utf8')) as {
        version?: unknown;
      }
    ).version;
  } catch {
    return undefined;
  }
  const browsers = playwrightBrowsersFolder(path.dirname(entry), env);
  const key = JSON.stringify([entry, version, browsers, process.platform, process.arch]);
  const file = path.join(userData, PLAYWRIGHT_ANSWER_FILE);
  const raw = await readSmallRegularFile(file);
  try {
    const saved = raw === undefined ? undefined : (JSON.parse(raw) as { key?: unknown; path?: unknown });
    if (saved?.key === key) {
      if (saved.path === null) return undefined;
      if (typeof saved.path === 'string' && (await isPlaywrightBrowser(saved.path, browsers)))
        return saved.path;
    }
  } catch {
    // Not JSON: ask.
  }
  const found = await playwrightChromium();
  void mkdir(userData, { recursive: true })
    .then(() => writeFileAtomic(file, `${JSON.stringify({ key, path: found ?? null })}\n`))
    .catch(() => undefined);
  return found;
}

/** The kiosk browser, in the documented order ($VITRINE_CHROMIUM..., Playwright's, the system's). */
async function findKioskBrowser(userData: string): Promise<BrowserLookup> {
  const named = BROWSER_ENV_VARS.some((name) => process.env[name]);
  const playwright = named ? undefined : rememberedPlaywrightChromium(userData);
  const pw = await playwright;
  return findBrowser({ env: process.env, exists: existsSync, playwrightPath: () => pw });
}

/**
 * What `npm start` says when a kiosk already runs on its user-data folder: the
 * same kiosk, started again (often by a second double-click, or by autostart
 * while a technician's own start still runs).
 */
export function alreadyRunningLine(pid: number | undefined, userData: string): string {
  const which = pid === undefined ? `its data is in ${userData}` : `process ${pid}, data in ${userData}`;
  const end = pid === undefined ? '' : ` (or end process ${pid})`;
  return `npm start: the kiosk is already running for this user (${which}), so a second one cannot start. Close the running kiosk first${end}, then start it again.`;
}

/**
 * One line for a failure to start: an expected one in its own words, a
 * content error by its message, anything else (a bug) with its type. (A
 * second kiosk has already been worded by {@link serveKiosk}; Electron's own
 * refusal is printed by its process, not thrown here.)
 */
function failureLine(error: unknown): string {
  if (error instanceof PreviewError) return error.message;
  if (error instanceof ContentError) return `npm start failed: ${error.message}`;
  return `npm start failed: ${String(error)}`;
}

/** The supervisor's clock and timers. */
const realClock = {
  now: () => Date.now(),
  setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
  clearTimeout: (h: unknown) => clearTimeout(h as NodeJS.Timeout),
};

/**
 * Runs the kiosk in Electron, relaunched if its main process dies, until it
 * exits cleanly or with a configuration error (exit code 2), whose code it returns.
 */
async function runElectron(
  binary: string,
  argv: readonly string[],
  log: (line: string) => void,
  events: EventLog,
): Promise<number> {
  const root = packageRoot();
  await ensureRendererBuilt(root, path.join(root, 'dist', 'renderer'), log);
  const entry = await ensureMainBuilt(root, log);
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  // Supervised, the app asks for a restart by exit code instead of relaunching
  // itself, so the relaunched kiosk stays under this supervisor's watch.
  env[SUPERVISED_ENV] = '1';
  return new Promise<number>((resolve) => {
    const supervisor = new KioskSupervisor(binary, [entry, ...argv], {
      ...realClock,
      name: 'Electron kiosk',
      spawn: (command, args) => spawn(command, args, { stdio: 'inherit', env }),
      log: teeToEventLog(log, events, 'supervisor'),
      onEnd: resolve,
      fatalCodes: [2],
      restartCodes: [RESTART_EXIT_CODE],
    });
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.on(signal, () => {
        supervisor.stop(signal);
        resolve(0);
      });
    }
    supervisor.start();
  });
}

/** The X11 screen size, when `xdpyinfo` can tell (Linux with DISPLAY only). */
async function x11ScreenSize(): Promise<ScreenSize | undefined> {
  if (process.platform !== 'linux' || !process.env.DISPLAY) return undefined;
  return new Promise((resolve) => {
    execFile('xdpyinfo', { timeout: 3000 }, (error, stdout) =>
      resolve(error ? undefined : parseXdpyinfoDimensions(String(stdout))),
    );
  });
}

/**
 * Writes Chromium's kiosk policy (no DevTools, no browser pages) to the
 * user-data folder, for a technician to install where Chromium reads managed
 * policies (docs/deploy.md): `npm start` cannot write those system folders.
 */
async function writeChromiumPolicy(userData: string, log: (line: string) => void, events: EventLog) {
  const file = path.join(userData, CHROMIUM_POLICY_FILE);
  try {
    await mkdir(userData, { recursive: true });
    await writeFile(file, `${JSON.stringify(chromiumKioskPolicy(), null, 2)}\n`);
  } catch (error) {
    events('chromium-policy-unwritable', { file, error: String(error) });
    return;
  }
  const installed = ['/etc/chromium/policies/managed', '/etc/opt/chrome/policies/managed'].some((dir) =>
    existsSync(path.join(dir, CHROMIUM_POLICY_FILE)),
  );
  if (process.platform === 'linux' && !installed) {
    log(`Chromium's kiosk policy (no DevTools) is not installed; see docs/deploy.md to copy ${file}.`);
    events('chromium-policy-missing', { file });
  }
}

/** What {@link serveKiosk} needs besides the flags. */
export interface ServeKioskOptions {
  /** The staff panel's restart and exit; the caller fills them in once its kiosk window runs. */
  actions: StaffHostActions;
  /** The port when the flags give none; default the kiosk's fixed port (tests pass 0: any free port). */
  defaultPort?: number;
  log: (line: string) => void;
  /** Where the store, inbox and `config.json` are looked up; default this process's environment and user data. */
  env?: Record<string, string | undefined>;
  userData?: string;
  /** Faster polling, for tests. */
  tuning?: LiveKioskOptions['tuning'];
  /** Rebuild a stale renderer first (default true). */
  build?: boolean;
  /** The event log (main/common/log.ts): configuration problems and the renderer's error reports go there too. */
  events?: EventLog;
  /** Told the URL once the port is bound, before the services are ready (see `PreviewOptions.onListening`). */
  onListening?: (url: string) => void;
}

/**
 * The kiosk `npm start` serves when it does not run Electron: the browser host
 * with the content store, live updates and the staff panel, set up from the
 * parsed flags by the same composition root the Electron kiosk uses. A port
 * held by another program ends it with {@link portTakenLine}; a kiosk already
 * running on the same user-data folder is refused before the port is tried,
 * with {@link alreadyRunningLine}.
 */
export function serveKiosk(o: CliOptions, opts: ServeKioskOptions): Promise<Preview> {
  const events = opts.events;
  const print = printConfigProblems(opts.log);
  return startPreview({
    live: {
      actions: opts.actions,
      ...(events
        ? {
            onConfigNote: (note) => {
              print(note);
              events('config', { ...note });
            },
            onRendererLog: (entry) => events('renderer-log', { ...entry }),
          }
        : {}),
      inboxFlag: o.inboxDir,
      channelFlag: o.channel,
      metricsPortFlag: o.metricsPort,
      ...(opts.env ? { env: opts.env } : {}),
      ...(opts.userData ? { userData: opts.userData } : {}),
      ...(opts.tuning ? { tuning: opts.tuning } : {}),
    },
    port: kioskPort(o.port, opts.defaultPort),
    contentDir: o.contentDir,
    idleSeconds: o.idleSeconds,
    attractSeconds: o.attractSeconds,
    countdownSeconds: o.countdownSeconds,
    open: false,
    build: opts.build ?? true,
    log: events ? teeToEventLog(opts.log, events, 'host') : opts.log,
    onListening: opts.onListening,
  }).catch((error: unknown) => {
    if (error instanceof PortInUseError) throw new PreviewError(portTakenLine(error.port));
    if (error instanceof KioskAlreadyRunningError)
      throw new PreviewError(alreadyRunningLine(error.pid, error.userData));
    throw error;
  });
}

/**
 * Serves the kiosk with the browser host and, if planned, supervises Chromium
 * in kiosk mode. The browser is started as soon as the port is bound: it takes
 * hundreds of milliseconds to come up, time in which the content and staff
 * services finish starting (the host holds its first requests until they have).
 * If they fail to start, the browser is stopped and the failure reported as before.
 */
async function runBrowserHost(
  plan: Exclude<ReturnType<typeof planStart>, { mode: 'electron' }>,
  o: CliOptions,
  log: (line: string) => void,
  events: EventLog,
): Promise<number> {
  // The staff panel's host actions; they act on the kiosk set up below.
  const actions: StaffHostActions = {};
  // Asked now, while the host starts, so the browser need not wait for it.
  const screen = plan.mode === 'chromium' ? x11ScreenSize() : Promise.resolve(undefined);
  let preview: Preview | undefined;
  let supervisor: KioskSupervisor | undefined;
  let failed = false;
  let stopping = false;
  let ended!: (code: number) => void;
  const end = new Promise<number>((resolve) => (ended = resolve));
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    supervisor?.stop();
    // Stopped while the services still start: closed once they have (or at once if they fail).
    void started
      .then(
        (p) => p.close(),
        () => undefined,
      )
      .catch(() => undefined)
      .then(() => ended(code));
  };
  const startBrowser = async (url: string, browser: string) => {
    const size = await screen;
    if (failed || stopping) return;
    process.on('SIGINT', () => stop(0));
    process.on('SIGTERM', () => stop(0));
    actions.exit = () => stop(0);
    void writeChromiumPolicy(userDataDir(), log, events);
    const profile = kioskProfileDir(process.platform, process.env, os.homedir());
    const args = chromiumKioskArgs(url, profile, {
      noSandbox: process.platform === 'linux' && process.getuid?.() === 0,
      screen: size,
    });
    const launch = () => {
      supervisor = chromiumSupervisor(browser, args, {
        ...realClock,
        spawn: (command, a) => spawn(command, a, { stdio: 'ignore' }),
        log: teeToEventLog(log, events, 'supervisor'),
        onEnd: (code) => stop(code),
        // This process holds the kiosk's services, so its metrics count the browser's relaunches
        // (the browser starts before they exist: it asks for them at each relaunch).
        metrics: {
          rendererRestarted: (reason) => preview?.services?.fleet.metrics?.rendererRestarted(reason),
        },
      });
      supervisor.start();
    };
    actions.restart = () => {
      supervisor?.stop();
      // A new Chromium on the same profile while the old one still closes would hand over to it and quit.
      setTimeout(launch, 3000);
    };
    launch();
  };
  const started = serveKiosk(o, {
    actions,
    log,
    events,
    onListening:
      plan.mode === 'chromium'
        ? (url) =>
            void startBrowser(url, plan.browser).catch((error: unknown) => {
              // No browser means no kiosk: say why in one line and stop, rather than serve nobody.
              const message = `npm start could not open the kiosk browser: ${String(error)}`;
              events('start-failed', { error: message });
              console.error(message);
              stop(1);
            })
        : undefined,
  });
  try {
    preview = await started;
  } catch (error) {
    failed = true;
    supervisor?.stop();
    throw error instanceof PreviewError ? error : new PreviewError(failureLine(error));
  }
  if (plan.mode !== 'chromium') {
    process.on('SIGINT', () => stop(0));
    process.on('SIGTERM', () => stop(0));
    actions.exit = () => stop(0);
  }
  return end;
}

/** The `npm start` command. */
export async function main(
  argv: readonly string[],
  log: (line: string) => void = console.log,
): Promise<number> {
  const parsed = parseArgs(argv);
  if (!parsed.ok) {
    console.error(`npm start: ${parsed.message}`);
    return 1;
  }
  const o = parsed.options;
  if (o.help) {
    log(
      `npm start -- ${USAGE.replace(/^Usage: /, '')}\n\nWithout --port the kiosk is served on port ${DEFAULT_KIOSK_PORT} (unless it runs in Electron, which needs none).`,
    );
    return 0;
  }
  // The same log file the Electron kiosk writes: a technician finds every host's events in one place.
  let logFailed = false;
  const events = openKioskLog(userDataDir(), {
    onError: (error) => {
      if (!logFailed) console.error(`npm start: cannot write the event log (${String(error)}); carrying on`);
      logFailed = true;
    },
  });
  try {
    const electron = installedElectronBinary();
    const browser = electron.ok ? undefined : await findKioskBrowser(userDataDir());
    const plan = planStart({ platform: process.platform, env: process.env, electron, browser, open: o.open });
    events('npm-start', { mode: plan.mode, ...(plan.mode === 'serve' ? { why: plan.why } : {}) });
    if (plan.mode === 'electron') return await runElectron(plan.binary, argv, log, events);
    let printed = false;
    return await runBrowserHost(
      plan,
      o,
      (line) => {
        // startPreview announces its own URL; ours says how the kiosk runs, in one line.
        if (line.startsWith('Vitrine preview: ')) {
          if (!printed) log(startLine(plan, line.slice('Vitrine preview: '.length)));
          printed = true;
          return;
        }
        log(line);
      },
      events,
    );
  } catch (error) {
    const message = failureLine(error);
    events('start-failed', { error: message });
    console.error(message);
    return 1;
  }
}

/**
 * Runs `npm start` as this process's command (./start-entry.mjs calls it, on
 * this module compiled or from source): whatever slips through still ends as
 * one line, never a stack trace, and the exit code is main's.
 */
export async function cli(argv: readonly string[]): Promise<void> {
  const fail = (error: unknown) => {
    console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  process.exitCode = await main(argv);
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(realpathSync(entry)).href) await cli(process.argv.slice(2));
