/**
 * The Electron kiosk's content and staff services, set up as the browser host
 * sets them up (`createKioskServices`, main/staff/kiosk.ts): the content store
 * with live updates from the content folder and the inbox, the staff panel's
 * routes, and the renderer's reports. What differs is only where user data
 * lives (Electron's `userData`) and what the panel's restart and exit do.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CONFIG_FILE } from '../content/store.js';
import type { HandlerOptions } from '../handler/handler.js';
import type { StaffHostActions } from '../handler/staff.js';
import { createKioskServices, type KioskServices, type KioskServicesOptions } from '../staff/kiosk.js';
import { restartApp } from '../kiosk/restart.js';
import type { ElectronConfig } from './config.js';
import type { EventLog } from '../common/log.js';

/** What `<user data>/config.json` may say about content. */
interface UserConfig {
  contentStore?: string;
  inbox?: string;
}

async function readUserConfig(userData: string): Promise<UserConfig> {
  try {
    const raw = JSON.parse(await readFile(path.join(userData, CONFIG_FILE), 'utf8')) as Record<
      string,
      unknown
    >;
    const text = (v: unknown) => (typeof v === 'string' && v ? path.resolve(userData, v) : undefined);
    return { contentStore: text(raw.contentStore), inbox: text(raw.inbox) };
  } catch {
    // No config file, or not JSON: the defaults apply.
    return {};
  }
}

/**
 * The store and inbox folders, with the browser host's precedence
 * (`resolveStoreDir`, `resolveInboxDir`) but read against Electron's own
 * user-data folder, which `--user-data-dir` or a packaged name may move.
 * Store: `VITRINE_CONTENT_STORE`, `contentStore` in `config.json`, `<userData>/content-store`.
 * Inbox: `--inbox`, `VITRINE_INBOX`, `inbox` in `config.json`, else none.
 */
export async function resolveKioskFolders(
  userData: string,
  env: Record<string, string | undefined>,
  inboxFlag?: string,
): Promise<{ store: string; inbox: string | undefined }> {
  const config = await readUserConfig(userData);
  const store = env.VITRINE_CONTENT_STORE?.trim()
    ? path.resolve(env.VITRINE_CONTENT_STORE)
    : (config.contentStore ?? path.join(userData, 'content-store'));
  const inbox = inboxFlag
    ? path.resolve(inboxFlag)
    : env.VITRINE_INBOX?.trim()
      ? path.resolve(env.VITRINE_INBOX)
      : config.inbox;
  return { store, inbox };
}

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

/** What {@link startKioskContent} needs. */
export interface KioskContentDeps {
  config: ElectronConfig;
  /** Electron's `app.getPath('userData')`. */
  userData: string;
  env: Record<string, string | undefined>;
  app: QuittableApp;
  setQuitting: () => void;
  log: EventLog;
  /** Injected for tests; default {@link createKioskServices}. */
  createServices?: (opts: KioskServicesOptions) => Promise<KioskServices>;
}

/**
 * Starts the live content store and the staff services. The first start
 * seeds the store from the content folder (a second or two for the default exhibit).
 */
export async function startKioskContent(deps: KioskContentDeps): Promise<KioskServices> {
  const { store, inbox } = await resolveKioskFolders(deps.userData, deps.env, deps.config.inboxDir);
  const create = deps.createServices ?? createKioskServices;
  const services = await create({
    contentDir: deps.config.contentDir,
    store,
    inbox: inbox ?? null,
    seedOnly: deps.config.bundledContent,
    userData: deps.userData,
    actions: electronStaffActions(deps.app, deps.setQuitting, deps.log, deps.env),
    log: (line) => deps.log('content', { line }),
  });
  deps.log('content-store', { store, inbox: inbox ?? null, seedOnly: deps.config.bundledContent });
  return services;
}

/** The shared handler's options for the Electron kiosk: live content, staff routes, renderer reports. */
export function kioskHandlerOptions(
  config: ElectronConfig,
  services: KioskServices,
  log: EventLog,
): HandlerOptions {
  return {
    rendererDir: config.rendererDir,
    content: services.live.source,
    settings: config.settings,
    staff: services.staff,
    onRendererLog: (entry) => {
      log('renderer-log', { ...entry });
      services.onRendererLog(entry);
    },
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
