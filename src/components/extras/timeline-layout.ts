/**
 * Orders timeline entries and marks the long silences between them, so the
 * timeline can compress decades into a visible break instead of pretending
 * 1905 sits next to 1941.
 */
import type { TimelineEntry } from '../../../main/contract/exhibit.js';

/** One row of the timeline: an entry, a new year heading, or a break across years. */
export type TimelineRow =
  | { kind: 'year'; year: number }
  | { kind: 'gap'; years: number }
  | { kind: 'entry'; entry: TimelineEntry; index: number };

/** Gaps longer than this many years are drawn as a break in the axis. */
const GAP_YEARS = 2;

/** Year of an ISO date such as `1945`, `1945-08` or `1945-08-09`. */
const yearOf = (date: string): number => Number(date.slice(0, 4));

/**
 * Entries in date order (stable for equal dates, so the curator's order wins),
 * with a year heading whenever the year changes and a gap row before any
 * jump of more than {@link GAP_YEARS} years.
 */
export function timelineRows(entries: readonly TimelineEntry[]): TimelineRow[] {
  const sorted = entries
    .map((entry, index) => ({ entry, index }))
    // ISO dates of different precision still sort right as strings: '1945' < '1945-06' < '1945-06-28'.
    .sort((a, b) => (a.entry.date < b.entry.date ? -1 : a.entry.date > b.entry.date ? 1 : a.index - b.index));
  const rows: TimelineRow[] = [];
  let lastYear: number | undefined;
  for (const item of sorted) {
    const year = yearOf(item.entry.date);
    if (year !== lastYear) {
      if (lastYear !== undefined && year - lastYear > GAP_YEARS)
        rows.push({ kind: 'gap', years: year - lastYear });
      rows.push({ kind: 'year', year });
      lastYear = year;
    }
    rows.push({ kind: 'entry', ...item });
  }
  return rows;
}

/** Russian plural category of `n`: 1 год, 2 года, 5 лет; English needs only one/many. */
export function pluralCategory(lang: string, n: number): 'one' | 'few' | 'many' {
  const abs = Math.abs(Math.trunc(n));
  if (lang === 'ru') {
    const d = abs % 10;
    const dd = abs % 100;
    if (d === 1 && dd !== 11) return 'one';
    if (d >= 2 && d <= 4 && (dd < 12 || dd > 14)) return 'few';
    return 'many';
  }
  return abs === 1 ? 'one' : 'many';
}
