/**
 * The Electron kiosk's entry point: an ordered list of setup steps, each in its
 * own module with its Electron objects passed in. Order matters: the steps
 * before `ready` (config, single instance, scheme, guards) must run
 * synchronously at start-up, before Electron emits `ready`.
 */
import { openKioskLog, type EventLog } from '../common/log.js';
import { app, BrowserWindow, Menu, powerSaveBlocker, protocol, screen, session } from 'electron';
import { USAGE } from '../kiosk/flags.js';
import type { KioskConfig } from '../kiosk/config.js';
import { restartApp } from '../kiosk/restart.js';
import { assembleKiosk, type KioskAssembly } from '../kiosk/assemble.js';
import type { KioskServices } from '../kiosk/services.js';
import { loadConfig, type ElectronConfig } from './config.js';
import { runContentCliMode } from './content-cli-mode.js';
import { decideLaunch, kioskChromiumSwitches } from './launch-mode.js';
import {
  electronKioskOptions,
  readElectronKioskConfig,
  renderGoneRollback,
  restingRollback,
} from './kiosk-content.js';
import { fileFailureStore } from './failure-record.js';
import { lockDownWindow, removeMenu } from './lockdown.js';
import { keepDisplayAwakeWhileOpen, type DisplayAwake } from './power.js';
import { serveApp } from './protocol.js';
import { recoveryPolicy, type Clock } from './recovery.js';
import { exhibitTitle, restingPageUrl } from './resting.js';
import { handleStartFailure } from './start-failure.js';
import { kioskWindowOptions } from './window-options.js';
import { guardAllContents, registerAppScheme, secureSession } from './security.js';
import { claimSingleInstance } from './single-instance.js';
import { openKioskWindow, type OpenedKiosk } from './window.js';

let quitting = false;
let kiosk: OpenedKiosk | undefined;
let awake: DisplayAwake | undefined;
let assembly: KioskAssembly | undefined;
let kioskConfig: Promise<KioskConfig> | undefined;

/** config.json, read on first need and then shared: one reading per start (./kiosk-content.ts). */
function kioskSettings(log: EventLog): Promise<KioskConfig> {
  return (kioskConfig ??= readElectronKioskConfig(app.getPath('userData'), log));
}

const clock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Reads flags and environment; a bad flag ends the run with one line, never a stack trace. */
function setupConfig(): ElectronConfig {
  const result = loadConfig({
    argv: process.argv.slice(1),
    env: process.env,
    cwd: process.cwd(),
    packaged: app.isPackaged,
    packagedResources: app.isPackaged ? process.resourcesPath : undefined,
  });
  if (!result.ok) {
    process.stderr.write(`vitrine: ${result.message}\n`);
    app.exit(2);
    process.exit(2);
  }
  if (result.help) {
    process.stdout.write(`${USAGE}\n`);
    app.exit(0);
    process.exit(0);
  }
  return result.config;
}

/** Names the app (so user data lives under "Vitrine") and opens the event log there. */
function setupLog(): EventLog {
  app.setName('Vitrine');
  const write = openKioskLog(app.getPath('userData'), {
    onError: (error) => process.stderr.write(`vitrine: cannot write the event log (${String(error)})\n`),
  });
  return (event, detail) => {
    write(event, detail);
    if (!app.isPackaged) process.stderr.write(`vitrine: ${event} ${detail ? JSON.stringify(detail) : ''}\n`);
  };
}

/** An error in the main process is logged, never shown as a dialog to visitors. */
function setupErrorHandling(log: EventLog): void {
  process.on('uncaughtException', (error) =>
    log('uncaught-exception', { error: String(error?.stack ?? error) }),
  );
  process.on('unhandledRejection', (reason) => log('unhandled-rejection', { error: String(reason) }));
}

/** Tracks deliberate shutdown, so the window may close and crashes during exit are not "recovered". */
function setupQuit(log: EventLog): void {
  app.on('before-quit', () => {
    quitting = true;
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => {
    kiosk?.stop();
    awake?.release();
    assembly?.close();
    log('quit', {});
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());
}

function setupChromiumSwitches(): void {
  for (const [name, value] of kioskChromiumSwitches(process.platform))
    app.commandLine.appendSwitch(name, value);
}

/** Session-wide security: permissions, devices, downloads, remote requests. */
function setupSessionSecurity(config: ElectronConfig, log: EventLog): void {
  secureSession(session.defaultSession, { dev: config.dev, log });
}

/**
 * Assembles the kiosk as every host does (main/kiosk/assemble.ts): the content
 * store with live updates and the staff panel, behind the shared handler,
 * mounted on `app://kiosk/`. The first start seeds the store from the content
 * folder (a second or two for the default exhibit).
 */
async function setupProtocol(config: ElectronConfig, log: EventLog): Promise<KioskServices> {
  const kiosk = await assembleKiosk(
    electronKioskOptions({
      config,
      userData: app.getPath('userData'),
      kioskConfig: await kioskSettings(log),
      env: process.env,
      app,
      setQuitting: () => {
        quitting = true;
      },
      log,
    }),
  );
  assembly = kiosk;
  const { store, inbox } = kiosk.folders;
  log('content-store', { store, inbox: inbox ?? null, seedOnly: config.bundledContent });
  if (!kiosk.content.current())
    log('content-invalid', { dir: config.contentDir, problems: kiosk.content.problems().length });
  serveApp(protocol, kiosk.handler, log);
  return kiosk.services;
}

/** The display stays awake while the exhibit is open; outside opening hours it may sleep. */
function setupPower(live: KioskServices, log: EventLog): void {
  awake = keepDisplayAwakeWhileOpen(powerSaveBlocker, live.schedule, log);
}

/**
 * Opens the kiosk window, supervised by recovery (./recovery.ts) with the
 * policy from `config.json` and the failures of earlier runs from
 * `<userData>/recovery.json`, so a relaunch loop also ends on the resting page.
 */
async function setupWindow(config: ElectronConfig, log: EventLog, live: KioskServices): Promise<void> {
  const userData = app.getPath('userData');
  const settings = await kioskSettings(log);
  const failures = fileFailureStore(userData, log);
  const record = await failures.load();
  kiosk = openKioskWindow({
    createWindow: (options) => new BrowserWindow(options),
    app,
    config: { ...config, bounds: screen.getPrimaryDisplay().bounds },
    clock,
    log,
    isQuitting: () => quitting,
    onRendererGone: renderGoneRollback(live, log),
    onResting: restingRollback(live, log),
    onRestart: (reason) => live.fleet.metrics?.rendererRestarted(reason),
    title: () => {
      const exhibit = assembly?.content.current()?.exhibit;
      return exhibitTitle(exhibit?.title, exhibit?.settings.languages);
    },
    restart: () => restartApp(app, process.env),
    policy: recoveryPolicy(settings.recovery),
    record,
    save: (r) => {
      failures.save(r);
      return failures.flush();
    },
  });
}

async function onReady(config: ElectronConfig, log: EventLog): Promise<void> {
  setupSessionSecurity(config, log);
  removeMenu(Menu);
  const live = await setupProtocol(config, log);
  setupPower(live, log);
  await setupWindow(config, log, live);
  log('started', { content: config.contentDir, dev: config.dev });
}

/**
 * A start that failed after `ready` (./start-failure.ts): counted with the
 * screen's failures, then a restart after a pause, or, once it keeps
 * happening, the resting page and a restart on the slow schedule. Exits 1
 * only if even that fails.
 */
async function setupStartFailure(config: ElectronConfig, log: EventLog, error: unknown): Promise<void> {
  try {
    const userData = app.getPath('userData');
    const settings = await kioskSettings(log).catch(() => ({}) as KioskConfig);
    await handleStartFailure(error, {
      store: fileFailureStore(userData, log),
      policy: recoveryPolicy(settings.recovery),
      clock,
      log,
      showResting: () => {
        const exhibit = assembly?.content.current()?.exhibit;
        const url = restingPageUrl(exhibitTitle(exhibit?.title, exhibit?.settings.languages));
        kiosk?.stop();
        const win =
          kiosk?.window ??
          new BrowserWindow(kioskWindowOptions({ ...config, bounds: screen.getPrimaryDisplay().bounds }));
        if (!kiosk) lockDownWindow(win, win.webContents, { dev: config.dev, isQuitting: () => quitting });
        win.once('ready-to-show', () => win.show());
        win.webContents.loadURL(url).catch(() => undefined);
      },
      restart: () => {
        quitting = true;
        restartApp(app, process.env);
      },
    });
  } catch (failure) {
    log('start-failure-unhandled', { error: String(failure) });
    app.exit(1);
  }
}

/**
 * Decides what this start is for (./launch-mode.ts): an installed kiosk with
 * a debugger switch on its command line is refused (exit 2: relaunching it
 * cannot help); `--content-cli` runs the content CLI without a window.
 * Returns true when the kiosk should start.
 */
function setupLaunchMode(log: EventLog): boolean {
  const mode = decideLaunch({ isPackaged: app.isPackaged, argv: process.argv.slice(1), env: process.env });
  if (mode.kind === 'refuse') {
    log('refused', { switches: mode.switches });
    process.stderr.write(`vitrine: ${mode.message}\n`);
    app.exit(2);
    process.exit(2);
    return false;
  }
  if (mode.kind === 'content-cli') {
    void runContentCliMode(mode.args, {
      app,
      // Loaded only in this mode: a kiosk start never pays for the CLI's imports.
      load: async () => (await import('../kiosk/content-cli.js')).runContentCli,
      stderr: (line) => process.stderr.write(`${line}\n`),
    });
    return false;
  }
  if (mode.ignoredEnv.length > 0) log('dev-env-ignored', { names: mode.ignoredEnv });
  return true;
}

function main(): void {
  const log = setupLog();
  if (!setupLaunchMode(log)) return;
  const config = setupConfig();
  setupErrorHandling(log);
  if (!claimSingleInstance(app, () => kiosk?.window)) return;
  // Every renderer sandboxed, whatever a future window's options say.
  app.enableSandbox();
  registerAppScheme(protocol);
  guardAllContents(app, log);
  setupChromiumSwitches();
  setupQuit(log);
  // Not awaited at top level: Electron emits `ready` only after the entry module has finished.
  app
    .whenReady()
    .then(() => onReady(config, log))
    .catch((error: unknown) => {
      process.stderr.write(`vitrine: could not start the kiosk: ${String(error)}\n`);
      void setupStartFailure(config, log, error);
    });
}

try {
  main();
} catch (error) {
  // A failure while wiring up is not recoverable in place: exit non-zero so a supervisor relaunches.
  process.stderr.write(`vitrine: could not start the kiosk: ${String(error)}\n`);
  app.exit(1);
}
