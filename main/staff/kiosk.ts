/**
 * Everything a host needs for live updates and the staff panel, in one call:
 * the live content (serve it as `HandlerOptions.content`), the staff routes
 * (`HandlerOptions.staff`) and the renderer-log hook (`HandlerOptions.onRendererLog`).
 * Both hosts use it; only the host actions (restart, exit) differ.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { bundledExhibitDir } from '../kiosk/paths.js';
import { createLiveContent, type LiveContent } from '../content/live.js';
import { CONFIG_FILE, resolveStoreDir, userDataDir } from '../content/store.js';
import { defaultLog, type RendererLogEntry } from '../handler/api.js';
import { createStaffRoutes, type StaffHostActions } from '../handler/staff.js';
import { createStaffAuth, type StaffAuth } from './auth.js';
import { ErrorRing } from './errors.js';

/** The staff file's name in the user-data folder. */
export const STAFF_FILE = 'staff.json';

/**
 * Chooses the inbox folder, first match wins: the `--inbox DIR` flag, the
 * `VITRINE_INBOX` environment variable, `inbox` in `<user data>/config.json`.
 * Undefined when none is set: the kiosk then has no inbox.
 */
export async function resolveInboxDir(
  flag?: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string | undefined> {
  if (flag) return path.resolve(flag);
  if (env.VITRINE_INBOX?.trim()) return path.resolve(env.VITRINE_INBOX);
  const userData = userDataDir(env);
  try {
    const config = JSON.parse(await readFile(path.join(userData, CONFIG_FILE), 'utf8')) as {
      inbox?: unknown;
    };
    if (typeof config.inbox === 'string' && config.inbox) return path.resolve(userData, config.inbox);
  } catch {
    // No config file: no inbox.
  }
  return undefined;
}

/** Options for {@link createKioskServices}. */
export interface KioskServicesOptions {
  /** The content folder to watch (and start a fresh store from). */
  contentDir: string;
  /** The content store; default from `resolveStoreDir()`. */
  store?: string;
  /** The inbox; default from {@link resolveInboxDir}. Pass `null` for none. */
  inbox?: string | null;
  /** Only start an empty store from the content folder; default: when it is the bundled exhibit. */
  seedOnly?: boolean;
  /** Where `staff.json` lives; default the user-data folder. */
  userData?: string;
  actions?: StaffHostActions;
  pollMs?: number;
  stableMs?: number;
  confirmMs?: number;
  /** Staff session idle time; default 60 s. */
  staffIdleMs?: number;
  now?: () => number;
  log?: (line: string) => void;
}

/** What {@link createKioskServices} returns. */
export interface KioskServices {
  live: LiveContent;
  auth: StaffAuth;
  errors: ErrorRing;
  /** `HandlerOptions.staff`. */
  staff: ReturnType<typeof createStaffRoutes>;
  /** `HandlerOptions.onRendererLog`: remembers the report and rolls back a new version that failed to render. */
  onRendererLog: (entry: RendererLogEntry) => void;
  close(): void;
}

/** Starts live updates and the staff panel's services. */
export async function createKioskServices(opts: KioskServicesOptions): Promise<KioskServices> {
  const now = opts.now ?? Date.now;
  const errors = new ErrorRing(50, now);
  const store = opts.store ?? (await resolveStoreDir());
  const inbox = opts.inbox === null ? undefined : (opts.inbox ?? (await resolveInboxDir()));
  const live = await createLiveContent({
    contentDir: opts.contentDir,
    store,
    inbox,
    seedOnly: opts.seedOnly ?? path.resolve(opts.contentDir) === bundledExhibitDir(),
    pollMs: opts.pollMs,
    stableMs: opts.stableMs,
    confirmMs: opts.confirmMs,
    now,
    log: opts.log,
    onError: (source, message) => errors.add(source, message),
  });
  const auth = createStaffAuth({
    file: path.join(opts.userData ?? userDataDir(), STAFF_FILE),
    idleMs: opts.staffIdleMs,
    now,
  });
  const staff = createStaffRoutes({ live, auth, errors, actions: opts.actions, now });
  return {
    live,
    auth,
    errors,
    staff,
    onRendererLog(entry) {
      errors.add('renderer', entry.kind ? `${entry.kind}: ${entry.message}` : entry.message, entry.level);
      if (entry.level === 'error') void live.rendererFailed(entry.message);
      defaultLog(entry);
    },
    close: () => live.close(),
  };
}
