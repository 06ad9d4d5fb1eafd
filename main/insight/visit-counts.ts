/**
 * Visitor counts, kept as hourly aggregates in `<userData>/insight/visits.json`:
 * for each UTC hour the number of visits and, for an hour with at least
 * {@link MIN_VISITS_FOR_DETAIL} visits, the summed detail (dwell buckets,
 * chapters, languages, ...). Nothing per visit is stored: each summary is
 * added into its hour's sums and forgotten. When an hour closes with fewer
 * than three visits its detail is dropped, and an open hour with fewer is
 * never shown, so no single visit can be read back out. A year of hours is
 * kept; older hours are dropped.
 */
import { mkdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../common/atomic-write.js';
import {
  addVisit,
  emptyDetail,
  hourKey,
  hourStart,
  MIN_VISITS_FOR_DETAIL,
  VISIT_ACCESS_MODES,
  VISIT_EXTRAS,
  type HourCounts,
  type HourDetail,
  type VisitSummary,
} from '../contract/visits.js';

/** The counts file's name in the insight folder. */
export const VISITS_FILE = 'visits.json';
/** How many hours are kept: a year and a day, so a year-long range is whole. */
const KEEP_HOURS = 366 * 24;

const count = z.int().min(0).max(1e9);
const counts = z.record(z.string().max(100), count);
const StoredDetail = z.object({
  dwell: z.array(count).max(20),
  seconds: z.number().min(0),
  chapters: z.record(z.string().max(100), z.object({ opened: count, seconds: z.number().min(0) })),
  furthest: z.array(count).max(200),
  extras: counts,
  langs: counts,
  narration: z.object({ started: count, finished: count }),
  access: counts,
  zooms: count,
  ended: counts,
}) satisfies z.ZodType<HourDetail>;
const StoredHour = z.object({
  hour: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}$/),
  visits: count,
  detail: StoredDetail.optional(),
});
/** What `visits.json` holds. */
const StoredCounts = z.object({ format: z.literal(1), hours: z.array(StoredHour) });

const chapterId = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/);
const seconds = z
  .number()
  .min(0)
  .max(24 * 3600);
/** What a posted visit summary may be; anything else is refused whole. */
const VisitSummarySchema = z.strictObject({
  seconds,
  chapters: z.record(chapterId, seconds).refine((r) => Object.keys(r).length <= 100),
  furthest: z.int().min(-1).max(99),
  extras: z.array(z.enum(VISIT_EXTRAS)).max(VISIT_EXTRAS.length),
  lang: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/),
  narrationStarted: z.int().min(0).max(1000),
  narrationFinished: z.int().min(0).max(1000),
  access: z.array(z.enum(VISIT_ACCESS_MODES)).max(VISIT_ACCESS_MODES.length),
  zooms: z.int().min(0).max(10000),
  ended: z.enum(['idle', 'start-over']),
});

/** A posted summary, checked; undefined when it is not one. Duplicated extras and modes count once. */
export function parseVisitSummary(raw: unknown): VisitSummary | undefined {
  const r = VisitSummarySchema.safeParse(raw);
  if (!r.success) return undefined;
  return { ...r.data, extras: [...new Set(r.data.extras)], access: [...new Set(r.data.access)] };
}

/** Options for {@link openVisitCounts}. */
export interface VisitCountsOptions {
  /** The insight folder (`<userData>/insight`). */
  dir: string;
  now?: () => number;
  /** Told what went wrong with the file (damaged, unwritable), one line. */
  log?: (line: string) => void;
}

/** The running counts. */
export interface VisitCounts {
  /** Adds one ended visit to the current hour. Only counters in memory change now; the file follows. */
  record(visit: VisitSummary): void;
  /**
   * The hours from `fromMs` on, oldest first, as they may be shown: an hour with
   * fewer than {@link MIN_VISITS_FOR_DETAIL} visits has only its count.
   */
  hours(fromMs?: number): HourCounts[];
  /** Calls `fn` with each recorded visit (e.g. the metrics' counters); returns its removal. */
  onVisit(fn: (visit: VisitSummary) => void): () => void;
  /** Resolves once everything recorded so far is on disk. */
  flush(): Promise<void>;
}

/** Reads the counts, or starts fresh from a missing or damaged file (kept aside as `.damaged`). */
async function load(file: string, log: (line: string) => void): Promise<HourCounts[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
      log(`Visit counts ${file} cannot be read (${String(err)}); counting starts afresh`);
    return [];
  }
  let why: string;
  try {
    const parsed = StoredCounts.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data.hours;
    why = parsed.error.issues[0]?.message ?? 'not the expected shape';
  } catch (err) {
    why = text.trim() === '' ? 'empty' : `not JSON: ${(err as Error).message}`;
  }
  const aside = `${file}.damaged`;
  await rename(file, aside).catch(() => undefined);
  log(`Visit counts ${file} were damaged (${why}); kept as ${aside}, counting starts afresh`);
  return [];
}

/** Opens (or starts) the counts in `opts.dir`. Never throws for a damaged file. */
export async function openVisitCounts(opts: VisitCountsOptions): Promise<VisitCounts> {
  const now = opts.now ?? Date.now;
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const file = path.join(opts.dir, VISITS_FILE);
  // An unwritable folder costs the counts their file, never the kiosk its start.
  await mkdir(opts.dir, { recursive: true }).catch((err: unknown) =>
    log(`Visit counts folder ${opts.dir} cannot be made (${String(err)}); counting in memory only`),
  );
  const byHour = new Map<string, HourCounts>();
  for (const h of await load(file, log)) byHour.set(h.hour, h);
  const listeners = new Set<(v: VisitSummary) => void>();

  /** Drops the detail of closed hours with too few visits, and hours older than a year. */
  const tidy = (): boolean => {
    const current = hourKey(now());
    const oldest = hourKey(hourStart(current) - (KEEP_HOURS - 1) * 3_600_000);
    let changed = false;
    for (const [key, h] of byHour) {
      if (key < oldest) {
        byHour.delete(key);
        changed = true;
      } else if (key < current && h.detail && h.visits < MIN_VISITS_FOR_DETAIL) {
        delete h.detail;
        changed = true;
      }
    }
    return changed;
  };

  // One write at a time; a visit that ends meanwhile is taken by the next write.
  let writing: Promise<void> = Promise.resolve();
  let dirty = false;
  const save = (): Promise<void> => {
    dirty = true;
    writing = writing.then(async () => {
      if (!dirty) return;
      dirty = false;
      tidy();
      const hours = [...byHour.values()].sort((a, b) => (a.hour < b.hour ? -1 : 1));
      try {
        await writeFileAtomic(file, JSON.stringify({ format: 1, hours }));
      } catch (err) {
        log(`Visit counts could not be written to ${file}: ${String(err)}`);
      }
    });
    return writing;
  };
  if (tidy()) void save();
  // A closed hour's detail leaves the disk soon after the hour ends, even if no visit follows.
  setInterval(() => {
    if (tidy()) void save();
  }, 60_000).unref();

  return {
    record(visit) {
      const key = hourKey(now());
      let h = byHour.get(key);
      if (!h) byHour.set(key, (h = { hour: key, visits: 0, detail: emptyDetail() }));
      h.visits += 1;
      // An hour that lost its detail (it was closed, then the clock went back) keeps only counting.
      if (h.detail) addVisit(h.detail, visit);
      for (const fn of listeners) {
        try {
          fn(visit);
        } catch {
          // A listener's fault must not lose the count.
        }
      }
      void save();
    },
    hours(fromMs = 0) {
      tidy();
      const from = hourKey(fromMs);
      return [...byHour.values()]
        .filter((h) => h.hour >= from)
        .sort((a, b) => (a.hour < b.hour ? -1 : 1))
        .map((h) =>
          h.detail && h.visits >= MIN_VISITS_FOR_DETAIL
            ? { hour: h.hour, visits: h.visits, detail: structuredClone(h.detail) }
            : { hour: h.hour, visits: h.visits },
        );
    },
    onVisit(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    flush: () => save(),
  };
}

/** Reads the counts file as shown (for the command line); a missing or damaged file gives no hours. */
export async function readVisitCounts(dir: string, fromMs = 0): Promise<HourCounts[]> {
  const file = path.join(dir, VISITS_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return [];
  }
  const parsed = StoredCounts.safeParse(raw);
  if (!parsed.success) return [];
  const from = hourKey(fromMs);
  return parsed.data.hours
    .filter((h) => h.hour >= from)
    .sort((a, b) => (a.hour < b.hour ? -1 : 1))
    .map((h) => (h.detail && h.visits >= MIN_VISITS_FOR_DETAIL ? h : { hour: h.hour, visits: h.visits }));
}
