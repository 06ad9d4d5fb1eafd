/**
 * Opening hours: when the kiosk shows the exhibit and when its screen is
 * black. Pure and dependency-free (only `Intl`), so the host, which decides,
 * and the page, which may show the next opening time, read one rule.
 *
 * Every time is wall-clock time in the schedule's zone: an 09:00 opening stays
 * 09:00 local across a DST change. A local time that does not exist (the
 * spring-forward gap) happens at the first instant after it that exists; one
 * that happens twice (fall-back) happens the first time.
 *
 * A closure (`closed`) closes the whole local day, even inside weekly hours,
 * and a range crossing midnight into a closed day ends at that midnight; one
 * crossing midnight out of a closed day does not start at all (its day is closed).
 */

/** The days of the week, as `weekly` spells them, Monday first. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
/** One day of the week. */
export type Weekday = (typeof WEEKDAYS)[number];

/** `settings.openingHours` of an exhibit. */
export interface OpeningHours {
  /** Per weekday, ranges like `"09:00-18:00"` or `"20:00-02:00"` (ends the next day); a missing or empty day is closed. */
  weekly: Partial<Record<Weekday, string[]>>;
  /** Whole-day closures: `"2026-12-25"`, or a range `"2026-12-24..2026-12-26"` (both days included). */
  closed?: string[];
  /** An IANA time zone such as `Europe/Berlin`; default the kiosk's own. */
  timeZone?: string;
}

/** What {@link scheduleAt} answers. */
export interface ScheduleAt {
  open: boolean;
  /** The next instant `open` flips; undefined when it never does (within a year and a half). */
  nextChange: Date | undefined;
}

/** What the staff status and the page's event stream say about the schedule. */
export interface ScheduleStatus {
  /** `always-open`: no opening hours are set. */
  state: 'open' | 'scheduled-off' | 'always-open';
  /** ISO time of the next change, when there is one. */
  nextChange?: string;
  /** The next change as wall-clock `HH:MM` in the schedule's zone, e.g. for "Opens at 09:00". */
  nextChangeLocal?: string;
}

/** The data of an `event: schedule` message on `GET /api/events`. */
export type ScheduleEvent = ScheduleStatus;

/**
 * The id of the `<script type="application/json">` in the served `index.html`
 * that carries the schedule's state as the page is served (a
 * {@link ScheduleEvent}), so a kiosk started in closed hours draws its black
 * screen first rather than the exhibit until the event stream says so.
 */
export const INLINE_SCHEDULE_ID = 'vitrine-schedule';

/** `data` as a {@link ScheduleEvent} when it names one of the three states, else undefined. */
export function asScheduleEvent(data: unknown): ScheduleEvent | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const { state, nextChange, nextChangeLocal } = data as Partial<Record<keyof ScheduleEvent, unknown>>;
  if (state !== 'open' && state !== 'scheduled-off' && state !== 'always-open') return undefined;
  return {
    state,
    ...(typeof nextChange === 'string' ? { nextChange } : {}),
    ...(typeof nextChangeLocal === 'string' ? { nextChangeLocal } : {}),
  };
}

/** A range's text: `HH:MM-HH:MM`. */
const RANGE_PATTERN = /^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/;
/** A closure's text: a date, or two joined by `..` or ` to `. */
const CLOSURE_PATTERN = /^(\d{4}-\d{2}-\d{2})(?:\s*(?:\.\.|\bto\b)\s*(\d{4}-\d{2}-\d{2}))?$/;

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** How far ahead the next change is looked for. */
const HORIZON_DAYS = 550;

/** Minutes after midnight of a range's start and end, or why the text is not a range. */
export function parseRange(text: string): { start: number; end: number } | { error: string } {
  const m = RANGE_PATTERN.exec(text.trim());
  if (!m) return { error: `"${text}" is not a time range: write it as "09:00-18:00"` };
  const [sh, sm, eh, em] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
  for (const [h, mi, s] of [
    [sh, sm, `${m[1]}:${m[2]}`],
    [eh, em, `${m[3]}:${m[4]}`],
  ] as const) {
    const endOfDay = h === 24 && mi === 0;
    if (h > 23 && !endOfDay) return { error: `"${s}" in "${text}" is not a time: hours go from 00 to 23` };
    if (mi > 59) return { error: `"${s}" in "${text}" is not a time: minutes go from 00 to 59` };
  }
  const start = sh * 60 + sm;
  const end = eh * 60 + em;
  if (start === 24 * 60) return { error: `"${text}" starts at 24:00: write 00:00 on the next day instead` };
  if (start === end) {
    return {
      error: `"${text}" starts and ends at the same time: for a whole day write "00:00-24:00", to close leave the day empty`,
    };
  }
  return { start, end: end === 0 ? 24 * 60 : end };
}

/** The first and last day of a closure (day numbers), or why the text is not one. */
export function parseClosure(text: string): { from: number; to: number } | { error: string } {
  const m = CLOSURE_PATTERN.exec(text.trim());
  if (!m) return { error: `"${text}" is not a date: write "2026-12-25" or "2026-12-24..2026-12-26"` };
  const from = dayOfIso(m[1]!);
  const to = m[2] === undefined ? from : dayOfIso(m[2]);
  if (from === undefined) return { error: `"${m[1]}" is not a calendar date` };
  if (to === undefined) return { error: `"${m[2]}" is not a calendar date` };
  if (to < from) return { error: `"${text}" ends before it starts: put the earlier date first` };
  return { from, to };
}

/** True when `zone` is a time zone this machine knows. */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The kiosk's own time zone. */
function localTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** The day number (days since 1970-01-01) of an ISO date, or undefined when it is no calendar date. */
function dayOfIso(iso: string): number | undefined {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const t = Date.UTC(y, m - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d)
    return undefined;
  return t / DAY_MS;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Wall-clock fields of `t` in `zone`, as if they were UTC: a "local epoch" in ms (seconds dropped). */
function wallMs(t: number, zone: string): number {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(zone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(t)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour! % 24, p.minute!);
}

/** The zone's offset from UTC at instant `t`, in ms (whole minutes). */
function offsetAt(t: number, zone: string): number {
  const floored = Math.floor(t / MINUTE_MS) * MINUTE_MS;
  return wallMs(floored, zone) - floored;
}

/**
 * The instant a wall-clock time `wall` (a local epoch in ms) happens in
 * `zone`: the first of two in fall-back, the first existing instant after it
 * in the spring-forward gap.
 */
function instantOfWall(wall: number, zone: string): number {
  const before = offsetAt(wall - DAY_MS, zone);
  const after = offsetAt(wall + DAY_MS, zone);
  const hits = [...new Set([before, after, offsetAt(wall, zone)])]
    .map((o) => wall - o)
    .filter((t) => wallMs(t, zone) === wall)
    .sort((a, b) => a - b);
  if (hits.length > 0) return hits[0]!;
  // In the gap: the clock jumped over `wall`; the jump's instant is the first that exists after it.
  let lo = wall - Math.max(before, after);
  let hi = wall - Math.min(before, after);
  while (hi - lo > MINUTE_MS) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE_MS) * MINUTE_MS;
    if (wallMs(mid, zone) < wall) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** The schedule's rules, parsed once. */
interface Rules {
  zone: string;
  days: Map<Weekday, { start: number; end: number }[]>;
  closures: { from: number; to: number }[];
}

function rulesOf(hours: OpeningHours): Rules {
  const days = new Map<Weekday, { start: number; end: number }[]>();
  for (const day of WEEKDAYS) {
    const ranges: { start: number; end: number }[] = [];
    for (const text of hours.weekly[day] ?? []) {
      const r = parseRange(text);
      // The host validated the exhibit; a range it could not read is left out rather than guessed.
      if (!('error' in r)) ranges.push(r);
    }
    days.set(day, ranges);
  }
  const closures: { from: number; to: number }[] = [];
  for (const text of hours.closed ?? []) {
    const c = parseClosure(text);
    if (!('error' in c)) closures.push(c);
  }
  return { zone: hours.timeZone ?? localTimeZone(), days, closures };
}

/** The weekday of a day number. */
function weekdayOf(day: number): Weekday {
  // Day 0 (1970-01-01) was a Thursday.
  return WEEKDAYS[(((day + 3) % 7) + 7) % 7]!;
}

/** Open intervals [start, end) in ms, merged and sorted, of the local days `fromDay`..`toDay`. */
function intervals(rules: Rules, fromDay: number, toDay: number): [number, number][] {
  const isClosed = (day: number) => rules.closures.some((c) => day >= c.from && day <= c.to);
  const raw: [number, number][] = [];
  for (let day = fromDay; day <= toDay; day++) {
    if (isClosed(day)) continue;
    for (const r of rules.days.get(weekdayOf(day)) ?? []) {
      const startWall = day * DAY_MS + r.start * MINUTE_MS;
      // An end at or before the start is on the next day; into a closed day it stops at midnight.
      let endWall = day * DAY_MS + (r.end > r.start ? r.end : r.end + 24 * 60) * MINUTE_MS;
      if (endWall > (day + 1) * DAY_MS && isClosed(day + 1)) endWall = (day + 1) * DAY_MS;
      const start = instantOfWall(startWall, rules.zone);
      const end = instantOfWall(endWall, rules.zone);
      if (end > start) raw.push([start, end]);
    }
  }
  raw.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const iv of raw) {
    const last = merged[merged.length - 1];
    if (last && iv[0] <= last[1]) last[1] = Math.max(last[1], iv[1]);
    else merged.push([iv[0], iv[1]]);
  }
  return merged;
}

/**
 * Whether the kiosk is open at `instant` under `hours`, and when that next
 * changes. No opening hours (undefined) means always open, never changing.
 */
export function scheduleAt(hours: OpeningHours | undefined, instant: Date | number): ScheduleAt {
  if (!hours) return { open: true, nextChange: undefined };
  const t = typeof instant === 'number' ? instant : instant.getTime();
  const rules = rulesOf(hours);
  const today = Math.floor(wallMs(t, rules.zone) / DAY_MS);
  // The day before can reach into today (a range past midnight); later days are looked at a week at a time.
  let ivs = intervals(rules, today - 1, today + 7);
  const containing = ivs.find(([s, e]) => t >= s && t < e);
  if (containing) {
    // An interval running to the window's edge may go on (open every day round the clock): look further.
    let end = containing[1];
    for (let from = today + 8; from <= today + HORIZON_DAYS; from += 7) {
      const next = intervals(rules, from - 1, from + 6).find(([s, e]) => s <= end && e > end);
      if (!next) break;
      end = next[1];
    }
    return { open: true, nextChange: end >= t + HORIZON_DAYS * DAY_MS ? undefined : new Date(end) };
  }
  for (let from = today + 8; ; from += 7) {
    const next = ivs.find(([s]) => s > t);
    if (next) return { open: false, nextChange: new Date(next[0]) };
    if (from > today + HORIZON_DAYS) return { open: false, nextChange: undefined };
    ivs = intervals(rules, from - 1, from + 6);
  }
}

/** `HH:MM` of `instant` on the schedule's wall clock. */
function wallClockLabel(hours: OpeningHours | undefined, instant: Date): string {
  const zone = hours?.timeZone ?? localTimeZone();
  const w = new Date(wallMs(instant.getTime(), zone));
  return `${String(w.getUTCHours()).padStart(2, '0')}:${String(w.getUTCMinutes()).padStart(2, '0')}`;
}

/** What the staff status and the page are told: the schedule's state at `instant`. */
export function scheduleStatus(hours: OpeningHours | undefined, instant: Date | number): ScheduleStatus {
  if (!hours) return { state: 'always-open' };
  const s = scheduleAt(hours, instant);
  return {
    state: s.open ? 'open' : 'scheduled-off',
    ...(s.nextChange
      ? { nextChange: s.nextChange.toISOString(), nextChangeLocal: wallClockLabel(hours, s.nextChange) }
      : {}),
  };
}
