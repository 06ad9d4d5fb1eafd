/**
 * The live content and the staff panel's services, started together: the
 * live content (served as `HandlerOptions.content`), the staff routes
 * (`HandlerOptions.staff`) and the renderer-log hook (`HandlerOptions.onRendererLog`).
 * Started by `assembleKiosk` (./assemble.ts) for every host; only the
 * host actions (restart, exit) differ.
 */
import path from 'node:path';
import { createLiveContent, type LiveContent } from '../content/live.js';
import { lockKioskInstance } from '../content/instance-lock.js';
import { pick } from '../contract/exhibit.js';
import { defaultLog, type RendererLogEntry } from '../handler/api.js';
import { createStaffRoutes, type StaffHostActions } from '../handler/staff.js';
import { createStaffAuth, type StaffAuth } from '../staff/auth.js';
import { ErrorRing } from '../staff/errors.js';
import { configuredPublicKeys, type KioskConfig } from './config.js';
import { createVisitRoutes } from '../handler/visits.js';
import { openInsight, removableRoots, type Insight } from '../insight/insight.js';
import { startFleet, type FleetServices, type FleetTuning } from './fleet-services.js';
import { watchOpeningHours, type OpeningHoursWatch } from './opening-hours.js';

/** The staff file's name in the user-data folder. */
const STAFF_FILE = 'staff.json';

/** Options for {@link createKioskServices}. */
export interface KioskServicesOptions {
  /** The content folder to watch (and start a fresh store from). */
  contentDir: string;
  /** The content store (`resolveKioskFolders`, ./config.ts). */
  store: string;
  /** The inbox; undefined for none. */
  inbox?: string;
  /** Only start an empty store from the content folder (the bundled exhibit). */
  seedOnly: boolean;
  /** Where `staff.json` lives: the user-data folder. */
  userData: string;
  /** config.json, as the host read it (./config.ts). */
  config: KioskConfig;
  actions?: StaffHostActions;
  pollMs?: number;
  stableMs?: number;
  confirmMs?: number;
  /** Staff session idle time; default 60 s. */
  staffIdleMs?: number;
  now?: () => number;
  log?: (line: string) => void;
  /** `--channel URL` and `--metrics-port N` (they win over config.json). */
  channelFlag?: string;
  metricsPortFlag?: number;
  /** Where the proxy variables are read; default this process's environment. */
  env?: Record<string, string | undefined>;
  /** Faster channel timings, for tests. */
  fleetTuning?: FleetTuning;
  /** The clock the opening hours follow; default `now`. Tests move it to a chosen hour. */
  scheduleNow?: () => number;
}

/** What {@link createKioskServices} returns. */
export interface KioskServices {
  live: LiveContent;
  auth: StaffAuth;
  errors: ErrorRing;
  /** `HandlerOptions.staff`. */
  staff: ReturnType<typeof createStaffRoutes>;
  /** Visit counts and the content history (`<userData>/insight/`). */
  insight: Insight;
  /** `HandlerOptions.visits`. */
  visits: ReturnType<typeof createVisitRoutes>;
  /** `HandlerOptions.onRendererLog`: remembers the report and rolls back a new version that failed to render. */
  onRendererLog: (entry: RendererLogEntry) => void;
  /** The channel follower and metrics, each only when configured. */
  fleet: FleetServices;
  /** The exhibit's opening hours on the host's clock (`HandlerOptions.schedule`). */
  schedule: OpeningHoursWatch;
  close(): void;
}

/** Starts live updates and the staff panel's services. */
export async function createKioskServices(opts: KioskServicesOptions): Promise<KioskServices> {
  // One kiosk per user-data folder: a second one stops here, before it has touched the store.
  const unlock = await lockKioskInstance(opts.userData);
  const now = opts.now ?? Date.now;
  const errors = new ErrorRing(50, now);
  const { config } = opts;
  // With keys, the inbox takes only packages signed by one of them; a key that cannot be read is reported.
  const keys = configuredPublicKeys(config, (message) => errors.add('inbox', message));
  const live = await createLiveContent({
    contentDir: opts.contentDir,
    store: opts.store,
    inbox: opts.inbox,
    seedOnly: opts.seedOnly,
    pollMs: opts.pollMs,
    stableMs: opts.stableMs,
    confirmMs: opts.confirmMs,
    now,
    log: opts.log,
    onError: (source, message) => errors.add(source, message),
    allowOlder: config.allowOlder,
    ...keys,
  });
  // Opening hours come with the exhibit, so a new version can change them: looked at again on each change.
  const schedule = watchOpeningHours({
    hours: () => live.source.current()?.exhibit.settings.openingHours,
    now: opts.scheduleNow ?? now,
    onChange: (s, previous) => {
      if (!previous && s.state === 'always-open') return;
      const until = s.nextChange ? ` until ${s.nextChange}` : '';
      (opts.log ?? ((line) => console.log(line)))(`Opening hours: ${s.state}${until}`);
    },
  });
  live.onChange(() => schedule.check());
  const auth = createStaffAuth({
    file: path.join(opts.userData, STAFF_FILE),
    idleMs: opts.staffIdleMs,
    now,
    log: opts.log,
  });
  // Leaving kiosk mode is off unless a technician's config.json allows it.
  const { allowExit = false, insight: counting = 'on' } = config;
  const fleet = await startFleet({
    config,
    userData: opts.userData,
    store: opts.store,
    live,
    channelFlag: opts.channelFlag,
    metricsPortFlag: opts.metricsPortFlag,
    env: opts.env ?? process.env,
    onError: (source, message) => errors.add(source, message),
    log: opts.log ?? ((line) => console.log(line)),
    tuning: opts.fleetTuning,
    now,
    scheduledOff: () => schedule.status().state === 'scheduled-off',
  });
  // The staff panel sees the channel beside the inbox, in the content status.
  const staffLive = {
    ...live,
    status: () => {
      const s = live.status();
      const channel = fleet.channelStatus(s);
      return channel ? { ...s, channel } : s;
    },
  };
  const staff = createStaffRoutes({
    live: staffLive,
    auth,
    errors,
    actions: opts.actions,
    allowExit,
    now,
    schedule: () => schedule.status(),
  });
  const insight = await openInsight({
    userData: opts.userData,
    counting: counting === 'on',
    now,
    log: opts.log,
  });
  // The content history follows what the renderer has drawn: a version is on screen once confirmed.
  const recordOnScreen = () => {
    const s = live.status();
    if (!s.version || !s.confirmed) return;
    const meta = s.history.find((h) => h.version === s.version);
    void insight.onScreen({
      version: s.version,
      contentVersion: s.contentVersion,
      exhibitId: s.exhibitId,
      action: meta?.action,
      source: meta?.source ?? s.installedFrom,
    });
  };
  live.onChange(recordOnScreen);
  recordOnScreen();
  // prom-client loads only with metrics on (see ./fleet-services.ts).
  if (fleet.metrics) {
    const { addVisitMetrics } = await import('../insight/visit-metrics.js');
    addVisitMetrics(fleet.metrics.registry, insight.onVisit);
  }
  const visits = createVisitRoutes({
    insight,
    auth,
    now,
    chapters: () => {
      const exhibit = live.source.current()?.exhibit;
      const lang = exhibit?.settings.defaultLanguage ?? 'en';
      return (exhibit?.chapters ?? []).map((c) => ({ id: c.id, title: pick(c.title, lang) || c.id }));
    },
    inbox: () => opts.inbox,
    exportRoots: removableRoots(),
  });
  let closed = false;
  return {
    live,
    auth,
    errors,
    staff,
    insight,
    visits,
    onRendererLog(entry) {
      errors.add('renderer', entry.kind ? `${entry.kind}: ${entry.message}` : entry.message, entry.level);
      if (entry.level === 'error') void live.rendererFailed(entry.message);
      defaultLog(entry);
    },
    fleet,
    schedule,
    close: () => {
      if (closed) return;
      closed = true;
      schedule.close();
      void fleet.close();
      live.close();
      unlock();
    },
  };
}
