/**
 * What crosses HTTP about visits: the one summary the page posts when a visit
 * ends (`POST /api/visits`), and the staff panel's report of the counts
 * (`GET /api/staff/visits`). No per-event sequence, no visitor, no time finer
 * than the hour ever crosses; see docs/privacy.md.
 */

/** Upper bounds (seconds) of the dwell-time buckets; a last, open bucket holds longer visits. */
export const DWELL_BUCKETS = [30, 60, 120, 300, 600, 1200] as const;

/** The labels of the dwell buckets, one more than {@link DWELL_BUCKETS}. */
export const DWELL_LABELS = ['<30 s', '30 s-1 min', '1-2 min', '2-5 min', '5-10 min', '10-20 min', '>20 min'];

/** The extra screens a visit can open, as counted. */
export const VISIT_EXTRAS = ['timeline', 'numbers', 'map', 'credits'] as const;

/** The access modes a visit can switch on, as counted. */
export const VISIT_ACCESS_MODES = ['largeText', 'highContrast', 'reducedMotion', 'audioGuide'] as const;

/** Below this many visits in an hour, only the hour's visit count is kept or shown. */
export const MIN_VISITS_FOR_DETAIL = 3;

/** How a visit ended: the idle reset, or the visitor's "Start over". */
export type VisitEnd = 'idle' | 'start-over';

/** The one report the page sends when a visit ends. */
export interface VisitSummary {
  /** Seconds from the first touch to the reset. */
  seconds: number;
  /** Seconds spent on each chapter opened, by chapter id. */
  chapters: Record<string, number>;
  /** Index of the furthest chapter opened; -1 when none was. */
  furthest: number;
  /** Extra screens opened (each at most once). */
  extras: string[];
  /** The language the visit ended in, when not the exhibit's default, else the default. */
  lang: string;
  /** Narrations started, and played to their end. */
  narrationStarted: number;
  narrationFinished: number;
  /** Access modes switched on during the visit (each at most once). */
  access: string[];
  /** Times the visitor zoomed a picture in the viewer. */
  zooms: number;
  ended: VisitEnd;
}

/** The index of the dwell bucket `seconds` falls in. */
function dwellBucket(seconds: number): number {
  const i = DWELL_BUCKETS.findIndex((limit) => seconds < limit);
  return i < 0 ? DWELL_BUCKETS.length : i;
}

/** The detail of an hour with enough visits; counts of visits unless named otherwise. */
export interface HourDetail {
  /** Visits per dwell bucket ({@link DWELL_BUCKETS}). */
  dwell: number[];
  /** Sum of the visits' seconds. */
  seconds: number;
  /** Per chapter id: visits that opened it, and seconds spent on it in all. */
  chapters: Record<string, { opened: number; seconds: number }>;
  /** Visits whose furthest chapter was index i. */
  furthest: number[];
  extras: Record<string, number>;
  langs: Record<string, number>;
  narration: { started: number; finished: number };
  access: Record<string, number>;
  zooms: number;
  /** How visits ended. */
  ended: Record<string, number>;
}

/** One hour's counts. `hour` is the UTC hour, `YYYY-MM-DDTHH`. */
export interface HourCounts {
  hour: string;
  visits: number;
  /** Absent for an hour with fewer than {@link MIN_VISITS_FOR_DETAIL} visits. */
  detail?: HourDetail;
}

/** `GET /api/staff/visits?days=N`: the hours of the range, oldest first, and what the funnel is named by. */
export interface VisitReport {
  /** Whether the kiosk counts visits now (`insight` in config.json). */
  counting: boolean;
  days: number;
  /** First hour in the range (inclusive), `YYYY-MM-DDTHH` UTC. */
  from: string;
  hours: HourCounts[];
  /** The current exhibit's chapters in order, with their titles in the default language. */
  chapters: { id: string; title: string }[];
}

/** The body of `POST /api/staff/visits/export`'s answer. */
export interface VisitExportResult {
  /** The folder the files were written to. */
  dir: string;
  files: string[];
}

/** An empty {@link HourDetail}. */
export function emptyDetail(): HourDetail {
  return {
    dwell: DWELL_LABELS.map(() => 0),
    seconds: 0,
    chapters: {},
    furthest: [],
    extras: {},
    langs: {},
    narration: { started: 0, finished: 0 },
    access: {},
    zooms: 0,
    ended: {},
  };
}

const addTo = (into: Record<string, number>, key: string, n = 1) => {
  into[key] = (into[key] ?? 0) + n;
};

/** Adds `b` into `a` (both details); returns `a`. */
export function mergeDetail(a: HourDetail, b: HourDetail): HourDetail {
  b.dwell.forEach((n, i) => (a.dwell[i] = (a.dwell[i] ?? 0) + n));
  a.seconds += b.seconds;
  for (const [id, c] of Object.entries(b.chapters)) {
    const into = (a.chapters[id] ??= { opened: 0, seconds: 0 });
    into.opened += c.opened;
    into.seconds += c.seconds;
  }
  b.furthest.forEach((n, i) => (a.furthest[i] = (a.furthest[i] ?? 0) + n));
  for (let i = 0; i < a.furthest.length; i++) a.furthest[i] ??= 0;
  for (const [k, n] of Object.entries(b.extras)) addTo(a.extras, k, n);
  for (const [k, n] of Object.entries(b.langs)) addTo(a.langs, k, n);
  for (const [k, n] of Object.entries(b.access)) addTo(a.access, k, n);
  for (const [k, n] of Object.entries(b.ended)) addTo(a.ended, k, n);
  a.narration.started += b.narration.started;
  a.narration.finished += b.narration.finished;
  a.zooms += b.zooms;
  return a;
}

/** Adds one visit's summary to a detail; returns it. */
export function addVisit(d: HourDetail, v: VisitSummary): HourDetail {
  d.dwell[dwellBucket(v.seconds)]! += 1;
  d.seconds += v.seconds;
  for (const [id, seconds] of Object.entries(v.chapters)) {
    const c = (d.chapters[id] ??= { opened: 0, seconds: 0 });
    c.opened += 1;
    c.seconds += seconds;
  }
  if (v.furthest >= 0) {
    for (let i = d.furthest.length; i <= v.furthest; i++) d.furthest[i] = 0;
    d.furthest[v.furthest]! += 1;
  }
  for (const e of v.extras) addTo(d.extras, e);
  addTo(d.langs, v.lang);
  for (const m of v.access) addTo(d.access, m);
  addTo(d.ended, v.ended);
  d.narration.started += v.narrationStarted;
  d.narration.finished += v.narrationFinished;
  d.zooms += v.zooms;
  return d;
}

/** One row of the chapter funnel. */
export interface FunnelRow {
  index: number;
  id: string;
  title: string;
  /** Visits that opened this chapter. */
  opened: number;
  /** Visits that got at least this far (their furthest chapter is this one or later). */
  reached: number;
  /** Share of the visits that reached the chapter before which also reached this one (1 for the first). */
  fromPrevious: number;
  /** Seconds spent on it in all. */
  seconds: number;
}

/**
 * The chapter funnel over `detail`, in the order of `chapters` (the exhibit's);
 * chapters counted but no longer in the exhibit follow, by id.
 */
export function chapterFunnel(detail: HourDetail, chapters: { id: string; title: string }[]): FunnelRow[] {
  const known = new Set(chapters.map((c) => c.id));
  const list = [
    ...chapters,
    ...Object.keys(detail.chapters)
      .filter((id) => !known.has(id))
      .sort()
      .map((id) => ({ id, title: id })),
  ];
  const reachedAt = (i: number) => detail.furthest.slice(i).reduce((s, n) => s + n, 0);
  return list.map((c, index) => {
    const reached = index < chapters.length ? reachedAt(index) : 0;
    const before = index === 0 ? reached : reachedAt(index - 1);
    return {
      index,
      id: c.id,
      title: c.title,
      opened: detail.chapters[c.id]?.opened ?? 0,
      reached,
      fromPrevious: index === 0 ? 1 : before > 0 ? reached / before : 0,
      seconds: detail.chapters[c.id]?.seconds ?? 0,
    };
  });
}

/** The UTC hour key of a time: `YYYY-MM-DDTHH`. */
export function hourKey(ms: number): string {
  return new Date(ms).toISOString().slice(0, 13);
}

/** The start of the UTC hour a key names, in ms. */
export function hourStart(key: string): number {
  return Date.parse(`${key}:00:00.000Z`);
}
