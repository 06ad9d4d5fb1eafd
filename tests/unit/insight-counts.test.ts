import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { VisitSummary } from '../../main/contract/visits.js';
import { openVisitCounts, parseVisitSummary, VISITS_FILE } from '../../main/insight/visit-counts.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-03-02T10:05:00Z');

const visit = (over: Partial<VisitSummary> = {}): VisitSummary => ({
  seconds: 95,
  chapters: { manchuria: 40, sakhalin: 20 },
  furthest: 2,
  extras: ['map'],
  lang: 'ru',
  narrationStarted: 1,
  narrationFinished: 0,
  access: ['largeText'],
  zooms: 2,
  ended: 'idle',
  ...over,
});

async function fresh() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-insight-'));
  let at = T0;
  const lines: string[] = [];
  const open = () => openVisitCounts({ dir, now: () => at, log: (l) => lines.push(l) });
  return { dir, lines, open, setNow: (ms: number) => (at = ms) };
}

describe('visit counts', () => {
  it('keeps only the visit count of an hour that closes with fewer than 3 visits, on disk too', async () => {
    const k = await fresh();
    const counts = await k.open();
    counts.record(visit());
    counts.record(visit({ lang: 'en' }));
    // Open hour with 2 visits: the count shows, nothing else does.
    expect(counts.hours()).toEqual([{ hour: '2026-03-02T10', visits: 2 }]);
    k.setNow(T0 + HOUR);
    counts.record(visit());
    await counts.flush();
    const stored = JSON.parse(await readFile(path.join(k.dir, VISITS_FILE), 'utf8')) as {
      hours: { hour: string; visits: number; detail?: unknown }[];
    };
    const closed = stored.hours.find((h) => h.hour === '2026-03-02T10');
    expect(closed).toEqual({ hour: '2026-03-02T10', visits: 2 });
    // And still after a restart.
    const again = await k.open();
    expect(again.hours()[0]).toEqual({ hour: '2026-03-02T10', visits: 2 });
  });

  it('shows an hour with 3 visits in full, summed and never per visit', async () => {
    const k = await fresh();
    const counts = await k.open();
    counts.record(visit());
    counts.record(visit({ seconds: 10, lang: 'en', chapters: {}, furthest: -1, access: [] }));
    counts.record(visit({ seconds: 700, ended: 'start-over', narrationFinished: 1 }));
    const [hour] = counts.hours();
    expect(hour?.visits).toBe(3);
    expect(hour?.detail?.dwell).toEqual([1, 0, 1, 0, 0, 1, 0]);
    expect(hour?.detail?.chapters.manchuria).toEqual({ opened: 2, seconds: 80 });
    expect(hour?.detail?.furthest).toEqual([0, 0, 2]);
    expect(hour?.detail?.langs).toEqual({ ru: 2, en: 1 });
    expect(hour?.detail?.ended).toEqual({ idle: 2, 'start-over': 1 });
    expect(hour?.detail?.narration).toEqual({ started: 3, finished: 1 });
    expect(hour?.detail?.access).toEqual({ largeText: 2 });
  });

  it('drops hours older than a year', async () => {
    const k = await fresh();
    const counts = await k.open();
    counts.record(visit());
    k.setNow(T0 + 367 * 24 * HOUR);
    counts.record(visit());
    expect(counts.hours().map((h) => h.hour)).toEqual(['2027-03-04T10']);
  });

  it.each([
    ['empty', ''],
    ['truncated', '{"format":1,"hours":[{"hour":"2026-03-02T10","vis'],
    ['garbage', '\u0000\u0001not json'],
    ['the wrong shape', '{"format":1,"hours":[{"hour":"yesterday","visits":-1}]}'],
  ])('starts afresh from a file that is %s, keeping it aside', async (_what, text) => {
    const k = await fresh();
    await writeFile(path.join(k.dir, VISITS_FILE), text);
    const counts = await k.open();
    expect(counts.hours()).toEqual([]);
    expect(await readFile(path.join(k.dir, `${VISITS_FILE}.damaged`), 'utf8')).toBe(text);
    expect(k.lines.join('\n')).toMatch(/damaged/);
    counts.record(visit());
    await counts.flush();
    expect((await k.open()).hours()).toEqual([{ hour: '2026-03-02T10', visits: 1 }]);
    expect(await readdir(k.dir)).toContain(VISITS_FILE);
  });

  it('refuses a summary that carries anything beyond the counts', () => {
    expect(parseVisitSummary(visit())).toEqual(visit());
    expect(parseVisitSummary({ ...visit(), startedAt: '2026-03-02T10:05:13Z' })).toBeUndefined();
    expect(parseVisitSummary({ ...visit(), chapters: { '../x': 1 } })).toBeUndefined();
    expect(parseVisitSummary({ ...visit(), extras: ['map', 'map'] })?.extras).toEqual(['map']);
    expect(parseVisitSummary({ ...visit(), seconds: -1 })).toBeUndefined();
  });
});

describe('visit counts on a kiosk whose user data cannot be written', () => {
  it('still starts and counts in memory', async () => {
    const parent = await mkdtemp(path.join(os.tmpdir(), 'vitrine-insight-ro-'));
    // A file where the folder should be: mkdir fails as on a read-only disk.
    await writeFile(path.join(parent, 'insight'), 'not a folder');
    const lines: string[] = [];
    const counts = await openVisitCounts({ dir: path.join(parent, 'insight'), log: (l) => lines.push(l) });
    counts.record({
      seconds: 5,
      chapters: {},
      furthest: -1,
      extras: [],
      lang: 'en',
      narrationStarted: 0,
      narrationFinished: 0,
      access: [],
      zooms: 0,
      ended: 'idle',
    });
    await counts.flush();
    expect(counts.hours().reduce((s, h) => s + h.visits, 0)).toBe(1);
    expect(lines.join('\n')).toMatch(/cannot be made|could not be written/);
  });
});
