/**
 * The Electron kiosk's part in the one composition root (main/kiosk/assemble.ts):
 * its user data is Electron's `userData`, the staff panel's restart and exit
 * act on the app, everything is written to the event log, and a renderer
 * process that dies while drawing a new version rolls that version back.
 */
import type { EventLog } from '../common/log.js';
import type { StaffHostActions } from '../handler/staff.js';
import type { LiveKioskAssemblyOptions } from '../kiosk/assemble.js';
import { restartApp } from '../kiosk/restart.js';
import { readKioskConfig, type KioskConfig } from '../kiosk/config.js';
import type { KioskServices } from '../kiosk/services.js';
import type { ElectronConfig } from './config.js';

/** The app calls the staff panel's actions make. */
export interface QuittableApp {
  relaunch(): void;
  exit(code: number): void;
}

/**
 * The staff panel's restart and exit for Electron. Each first marks the app as
 * quitting: the lockdown refuses to close the window otherwise, and recovery
 * must not treat the renderer's end as a crash. Restart under `npm start`'s
 * supervisor leaves the relaunch to it (see `restartApp`).
 */
export function electronStaffActions(
  app: QuittableApp,
  setQuitting: () => void,
  log: EventLog,
  env: Record<string, string | undefined> = {},
): Required<StaffHostActions> {
  return {
    restart: () => {
      log('staff-restart', {});
      setQuitting();
      restartApp(app, env);
    },
    exit: () => {
      log('staff-exit', {});
      setQuitting();
      app.exit(0);
    },
  };
}

/** What {@link electronKioskOptions} needs. */
export interface ElectronKioskDeps {
  config: ElectronConfig;
  /** Electron's `app.getPath('userData')`: `config.json`, `staff.json` and the content store live there. */
  userData: string;
  /** config.json, read once at start (see {@link readElectronKioskConfig}). */
  kioskConfig: KioskConfig;
  env: Record<string, string | undefined>;
  app: QuittableApp;
  setQuitting: () => void;
  log: EventLog;
}

/**
 * Reads config.json in Electron's user data, once per start: the content
 * store, the window's recovery policy and a failed start's policy all use
 * this one reading. What is wrong with the file goes to the event log.
 */
export function readElectronKioskConfig(userData: string, log: EventLog): Promise<KioskConfig> {
  return readKioskConfig(userData, (note) => log('config', { ...note }));
}

/** The composition root's options for the Electron kiosk (see `assembleKiosk`). */
export function electronKioskOptions(deps: ElectronKioskDeps): LiveKioskAssemblyOptions {
  const { config, log } = deps;
  return {
    contentDir: config.contentDir,
    rendererDir: config.rendererDir,
    settings: config.settings,
    live: {
      userData: deps.userData,
      config: deps.kioskConfig,
      env: deps.env,
      inboxFlag: config.inboxDir,
      channelFlag: config.channel,
      metricsPortFlag: config.metricsPort,
      seedOnly: config.bundledContent,
      actions: electronStaffActions(deps.app, deps.setQuitting, log, deps.env),
      onRendererLog: (entry) => log('renderer-log', { ...entry }),
    },
    log: (line) => log('content', { line }),
  };
}

/**
 * Called when the kiosk's renderer process ends by itself. If a new content
 * version was being drawn, that version is taken to have crashed the screen
 * and the store rolls back to the previous one (the live store ignores it
 * otherwise), so the page recovery reloads shows the version that worked.
 */
export function renderGoneRollback(
  services: Pick<KioskServices, 'live' | 'errors'>,
  log: EventLog,
): (reason: string) => void {
  return (reason) => {
    services.live
      .rendererFailed(`the screen's renderer process ended (${reason})`)
      .then((rolledBack) => {
        if (rolledBack) log('content-rolled-back', { reason });
      })
      .catch((error: unknown) => services.errors.add('host', `rollback failed: ${String(error)}`));
  };
}

/**
 * Called when the kiosk starts resting after repeated failures (crash, hang,
 * failed load): a new content version the screen never confirmed is rolled
 * back, so the next try shows the version that worked.
 */
export function restingRollback(
  services: Pick<KioskServices, 'live' | 'errors'>,
  log: EventLog,
): (why: string) => void {
  return (why) => {
    services.live
      .rendererFailed(`the screen kept failing (${why}), so the kiosk rests`)
      .then((rolledBack) => {
        if (rolledBack) log('content-rolled-back', { reason: why, resting: true });
      })
      .catch((error: unknown) => services.errors.add('host', `rollback failed: ${String(error)}`));
  };
}
