/**
 * The curator's tables, built from the hourly counts: the same rows for the
 * CSV export (staff panel) and the terminal (`npm run insight`). Days and hours
 * of the week are the kiosk's local time.
 */
import {
  chapterFunnel,
  DWELL_LABELS,
  emptyDetail,
  hourStart,
  mergeDetail,
  VISIT_ACCESS_MODES,
  VISIT_EXTRAS,
  type HourCounts,
} from '../contract/visits.js';
import type { HistoryLine } from './content-history.js';

/** One table: a name (also its CSV file's), a header and rows. */
export interface Table {
  name: string;
  title: string;
  header: string[];
  rows: (string | number)[][];
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const pad = (n: number) => String(n).padStart(2, '0');
const localDay = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
const minutes = (s: number) => Math.round((s / 60) * 10) / 10;
const percent = (x: number) => Math.round(x * 1000) / 10;

/** Every table over `hours`; `chapters` orders and names the funnel; `history` adds the content table. */
export function insightTables(
  hours: HourCounts[],
  chapters: { id: string; title: string }[],
  history?: HistoryLine[],
): Table[] {
  const detail = emptyDetail();
  let visits = 0;
  let detailed = 0;
  const perDay = new Map<string, number>();
  const week = Array.from({ length: 7 }, () => Array<number>(24).fill(0));
  for (const h of hours) {
    visits += h.visits;
    const d = new Date(hourStart(h.hour));
    perDay.set(localDay(d), (perDay.get(localDay(d)) ?? 0) + h.visits);
    week[(d.getDay() + 6) % 7]![d.getHours()]! += h.visits;
    if (h.detail) {
      detailed += h.visits;
      mergeDetail(detail, h.detail);
    }
  }
  const counted = (keys: readonly string[], record: Record<string, number>) => {
    const all = [...new Set([...keys, ...Object.keys(record)])];
    return all.map((k) => [k, record[k] ?? 0]);
  };
  const tables: Table[] = [
    {
      name: 'summary',
      title: 'Summary',
      header: ['measure', 'value'],
      rows: [
        ['visits', visits],
        ['visits in hours with detail (3 or more visits)', detailed],
        ['average visit, minutes', detailed ? minutes(detail.seconds / detailed) : 0],
        ['narrations started', detail.narration.started],
        ['narrations heard to the end', detail.narration.finished],
        ['picture zooms', detail.zooms],
        ['visits ended by walking away', detail.ended.idle ?? 0],
        ['visits ended with Start over', detail.ended['start-over'] ?? 0],
      ],
    },
    {
      name: 'visits-per-day',
      title: 'Visits per day',
      header: ['day', 'visits'],
      rows: [...perDay].sort(([a], [b]) => (a < b ? -1 : 1)),
    },
    {
      name: 'visits-per-hour-of-week',
      title: 'Visits per hour of the week',
      header: ['weekday', ...Array.from({ length: 24 }, (_, h) => `${pad(h)}h`)],
      rows: week.map((row, i) => [WEEKDAYS[i]!, ...row]),
    },
    {
      name: 'dwell',
      title: 'How long visits lasted',
      header: ['length', 'visits'],
      rows: DWELL_LABELS.map((label, i) => [label, detail.dwell[i] ?? 0]),
    },
    {
      name: 'chapters',
      title: 'Chapter funnel',
      header: ['chapter', 'id', 'title', 'opened', 'reached', 'reached from previous %', 'minutes'],
      rows: chapterFunnel(detail, chapters).map((r) => [
        r.index + 1,
        r.id,
        r.title,
        r.opened,
        r.reached,
        percent(r.fromPrevious),
        minutes(r.seconds),
      ]),
    },
    {
      name: 'extras',
      title: 'Extras opened',
      header: ['extra', 'visits'],
      rows: counted(VISIT_EXTRAS, detail.extras),
    },
    {
      name: 'languages',
      title: 'Languages',
      header: ['language', 'visits'],
      rows: counted([], detail.langs).sort((a, b) => Number(b[1]) - Number(a[1])),
    },
    {
      name: 'access-modes',
      title: 'Access modes switched on',
      header: ['mode', 'visits'],
      rows: counted(VISIT_ACCESS_MODES, detail.access),
    },
  ];
  if (history) {
    tables.push({
      name: 'content-history',
      title: 'Content on screen',
      header: ['from', 'until', 'version', 'content version', 'exhibit', 'how', 'source'],
      rows: history.map((e, i) => [
        e.at,
        history[i + 1]?.at ?? 'now',
        e.version,
        e.contentVersion ?? '',
        e.exhibitId ?? '',
        e.how,
        e.source ?? '',
      ]),
    });
  }
  return tables;
}

/** A CSV field, quoted when it must be; a leading formula sign is defused for spreadsheets. */
function csvField(v: string | number): string {
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The table as CSV text (CRLF line ends, as spreadsheets expect). */
export function toCsv(table: Table): string {
  return [table.header, ...table.rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** The table as aligned text for a terminal. */
export function toText(table: Table): string {
  const all = [table.header, ...table.rows].map((r) => r.map(String));
  const widths = table.header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [table.title, ...all.map(line)].join('\n');
}
