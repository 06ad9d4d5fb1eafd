/**
 * The kiosk's insight: visitor counts (hourly aggregates, ./visit-counts.ts)
 * and the content history (./content-history.ts), both in `<userData>/insight/`,
 * and the CSV export of their tables. Counting can be switched off
 * (`insight: "off"` in config.json): then nothing about visits is stored.
 */
import { mkdir, realpath, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isInside } from '../common/safe-path.js';
import type { HourCounts, VisitSummary } from '../contract/visits.js';
import {
  arrivalOf,
  openContentHistory,
  readContentHistory,
  type ContentHistory,
  type HistoryRecord,
} from './content-history.js';
import { insightTables, toCsv } from './tables.js';
import { openVisitCounts, type VisitCounts } from './visit-counts.js';

/** The insight folder in the user-data folder. */
export function insightDir(userData: string): string {
  return path.join(userData, 'insight');
}

/** Options for {@link openInsight}. */
export interface InsightOptions {
  userData: string;
  /** Count visits (default true); off, visits are neither counted nor stored. */
  counting?: boolean;
  now?: () => number;
  log?: (line: string) => void;
}

/** What a content version on screen is described by (the staff status's fields). */
interface OnScreen {
  version: string;
  contentVersion?: string;
  exhibitId?: string;
  /** The content store's action and source for it. */
  action?: string;
  source?: string;
}

/** The running insight service. */
export interface Insight {
  readonly counting: boolean;
  readonly dir: string;
  /** Adds an ended visit (nothing when counting is off). */
  recordVisit(visit: VisitSummary): void;
  /** Records that `screen` is now the version on screen (once per change). */
  onScreen(screen: OnScreen): Promise<void>;
  /** The hours from `fromMs` as they may be shown. */
  hours(fromMs: number): HourCounts[];
  /** Calls `fn` for each counted visit (for metrics); returns its removal. */
  onVisit(fn: (visit: VisitSummary) => void): () => void;
  /**
   * Writes one CSV per table, plus the content history, into a new folder
   * inside `target`; returns that folder and the files' names.
   */
  exportCsv(
    target: string,
    fromMs: number,
    chapters: { id: string; title: string }[],
  ): Promise<{ dir: string; files: string[] }>;
  flush(): Promise<void>;
}

/** Opens the insight folder of `opts.userData`. Never throws for damaged files. */
export async function openInsight(opts: InsightOptions): Promise<Insight> {
  const now = opts.now ?? Date.now;
  const dir = insightDir(opts.userData);
  const counting = opts.counting ?? true;
  const counts: VisitCounts | undefined = counting
    ? await openVisitCounts({ dir, now, log: opts.log })
    : undefined;
  const history: ContentHistory = await openContentHistory(dir, opts.log);
  return {
    counting,
    dir,
    recordVisit: (visit) => counts?.record(visit),
    onScreen(s) {
      const record: HistoryRecord = {
        at: new Date(now()).toISOString(),
        version: s.version,
        contentVersion: s.contentVersion,
        exhibitId: s.exhibitId,
        how: arrivalOf(s.action, s.source),
        source: s.source,
      };
      return history.record(record);
    },
    hours: (fromMs) => counts?.hours(fromMs) ?? [],
    onVisit: (fn) => counts?.onVisit(fn) ?? (() => {}),
    async exportCsv(target, fromMs, chapters) {
      const stamp = new Date(now()).toISOString().slice(0, 16).replace(/[:T]/g, '-');
      const out = path.join(target, `vitrine-visits-${stamp}`);
      await mkdir(out, { recursive: true });
      const tables = insightTables(counts?.hours(fromMs) ?? [], chapters, await readContentHistory(dir));
      const files: string[] = [];
      for (const t of tables) {
        const name = `${t.name}.csv`;
        await writeFile(path.join(out, name), toCsv(t), 'utf8');
        files.push(name);
      }
      return { dir: out, files };
    },
    flush: async () => {
      await counts?.flush();
    },
  };
}

/**
 * The folders an export may be written to on this platform besides the inbox:
 * where USB sticks are mounted (Linux `/media`, `/run/media`, `/mnt`; macOS
 * `/Volumes`; Windows any drive but the system's).
 */
export function removableRoots(
  platform: NodeJS.Platform = process.platform,
  env: Record<string, string | undefined> = process.env,
): string[] {
  if (platform === 'win32') {
    const system = (env.SystemDrive ?? 'C:').toUpperCase();
    return 'DEFGHIJKLMNOPQRSTUVWXYZ'
      .split('')
      .map((l) => `${l}:`)
      .filter((d) => d !== system)
      .map((d) => `${d}\\`);
  }
  if (platform === 'darwin') return ['/Volumes'];
  return ['/media', '/run/media', '/mnt'];
}

/**
 * `requested` as a real, existing folder inside one of `roots`, or why not.
 * Links are followed before the check, so a link cannot lead out.
 */
export async function exportTarget(
  requested: string,
  roots: string[],
): Promise<{ ok: true; dir: string } | { ok: false; message: string }> {
  if (!path.isAbsolute(requested)) return { ok: false, message: 'Give the full path of a folder' };
  let real: string;
  try {
    real = await realpath(requested);
    if (!(await stat(real)).isDirectory()) return { ok: false, message: `${requested} is not a folder` };
  } catch {
    return { ok: false, message: `${requested} does not exist (is the USB stick plugged in?)` };
  }
  for (const root of roots) {
    const realRoot = await realpath(root).catch(() => undefined);
    if (realRoot && isInside(realRoot, real)) return { ok: true, dir: real };
  }
  return {
    ok: false,
    message: `Exports go only to the inbox or a USB stick (${roots.join(', ') || 'none available'})`,
  };
}
