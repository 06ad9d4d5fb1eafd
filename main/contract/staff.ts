/**
 * What the staff panel and the host say to each other over `/api/staff/*`,
 * and what the renderer reports to `POST /api/log`.
 */
import type { ScheduleStatus } from './schedule.js';

/** Where the renderer is with the newest version. */
export interface PendingVersion {
  version: string;
  /** `waiting`: announced, shown at the next idle reset. `applying`: the renderer is drawing it. */
  state: 'waiting' | 'applying';
  since: string;
}

/** One line of the content store's history. */
export interface ContentHistoryEntry {
  version: string;
  exhibitId: string;
  contentVersion: string;
  at: string;
  action: 'apply' | 'rollback' | 'auto-rollback';
  /** Where it came from: a package file, a folder, or the store itself for rollbacks. */
  source: string;
  note?: string;
}

/** What the staff panel shows about the content. */
export interface ContentStatus {
  /** The store version visitors see (or will see at the next reset). */
  version?: string;
  /** The exhibit's own `version` field and id. */
  contentVersion?: string;
  exhibitId?: string;
  /** When and from where the current version was installed. */
  installedAt?: string;
  installedFrom?: string;
  previous?: string;
  /** False until the renderer has drawn the current version at least once. */
  confirmed: boolean;
  pending?: PendingVersion;
  /** The validation report of the newest candidate (errors blocked it; warnings do not block). */
  report: { at: string; source: string; ok: boolean; lines: string[] } | undefined;
  /** The last rollback the kiosk did by itself. */
  autoRollback?: { at: string; version: string; restored: string; reason: string };
  inbox?: { dir: string; waiting: string[]; last?: string };
  /** The channel on a web server this kiosk follows, if any. */
  channel?: ChannelStatus;
  contentDir: string;
  store: string;
  /** Newest first. */
  history: ContentHistoryEntry[];
}

/** Where a kiosk following a channel (`channel` in config.json) stands. */
export interface ChannelStatus {
  /** The address of `channel.json`. */
  url: string;
  /** The channel's name, once it has been read. */
  name?: string;
  /** When the current or last look began. */
  lastCheckStarted?: string;
  /** The last look that finished, and what came of it in one line. */
  lastCheck?: { at: string; ok: boolean; message: string };
  /** What the channel offers now. */
  available?: { version: string; contentVersion: string; publishedAt: string };
  /** A package on its way down, in bytes. */
  downloading?: { version: string; received: number; total: number };
  /** The last version installed from the channel. */
  installed?: { version: string; contentVersion: string; at: string };
  /** A version from the channel, installed and waiting for the next idle reset. */
  waiting?: { version: string; contentVersion: string; since: string };
  /** The channel's version was installed, failed to render and was rolled back: it is not taken again. */
  rolledBack?: { version: string; at: string; reason: string };
  /** Failed looks since the kiosk started. */
  errors: number;
  nextCheckAt?: string;
}

/** One remembered error, as the panel lists it. */
export interface ErrorEntry {
  /** ISO time of the latest occurrence. */
  at: string;
  level: 'error' | 'warn' | 'info';
  /** Where it came from: `renderer`, `content`, `inbox`, `host`. */
  source: string;
  message: string;
  /** How many times in a row it happened. */
  count: number;
}

/** The body of `GET /api/staff/status`. */
export interface StaffStatus {
  content: ContentStatus;
  /** The opening hours: `scheduled-off` is a black screen by design, not a failure. */
  schedule: { state: ScheduleStatus['state']; nextChange?: string };
  /** Newest first. */
  errors: ErrorEntry[];
  uptimeSeconds: number;
  startedAt: string;
  /** True while the PIN is still the default one. */
  defaultPin: boolean;
  /** Which host actions the panel may offer. */
  actions: { restart: boolean; exit: boolean };
}

/** The body of a successful `POST /api/staff/session`. */
export interface StaffSession {
  token: string;
  defaultPin: boolean;
  /** The session locks itself after this long untouched. */
  idleMs: number;
}

/** One error report from the renderer, as sent to `POST /api/log`. */
export interface RendererLogEntry {
  level: 'error' | 'warn' | 'info';
  message: string;
  /** What kind of failure, e.g. `error` or `unhandledrejection`. */
  kind?: string;
  stack?: string;
  /** Extra context the renderer attached. */
  detail?: string;
  /** The script the failure was thrown in. */
  url?: string;
}

/** What a staff action really did, in one sentence the panel shows as it is. */
export interface StaffActionResult {
  /** E.g. "Nothing new in the inbox.", "Installed x.zip (version 2)…", "Refused y.zip: …". */
  result: string;
}

/** The body of a successful `POST /api/staff/apply-inbox`: what happened to each package, and the new status. */
export interface ApplyInboxAnswer extends StaffStatus, StaffActionResult {
  /** One entry per inbox package looked at: `applied`, `rejected`, `kept`, `skipped` or `waiting`. */
  events: { kind: string; name: string }[];
}

/** The body of a successful `POST /api/staff/rollback`: the version now current and the one it replaced. */
export interface RollbackAnswer extends StaffStatus, StaffActionResult {
  version: string;
  from: string;
}
