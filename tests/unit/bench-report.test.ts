/**
 * The bench's arithmetic and its report: what docs/BENCHMARKS.md shows a
 * reader (side by side with ratios, budgets, the machine) must follow from the
 * samples, and rerunning the speed bench must keep the endurance section.
 */
import { describe, expect, it } from 'vitest';
import {
  ENDURANCE_HEADING,
  enduranceSection,
  longFrameShare,
  percentile,
  plan,
  ratio,
  report,
  type Result,
  type Side,
} from '../../main/tools/bench.js';

const side = (over: Partial<Side>): Side => ({
  fcpMs: 200,
  firstSlideMs: 400,
  jsGzipBytes: 50 * 1024,
  jsFiles: [{ url: '/assets/index.js', gzip: 50 * 1024 }],
  advanceFrames: Array.from({ length: 100 }, () => 16.7),
  swipes: Array.from({ length: 30 }, () => 16),
  swipeFrames: Array.from({ length: 100 }, () => 16.7),
  heapBefore: 1_000_000,
  heapAfter: 1_010_000,
  ...over,
});

const result = (vitrine: Partial<Side>, peer: Partial<Side>): Result => ({
  plan: plan(false),
  machine: { cpu: 'Test CPU 9000', cores: 2, chromium: '156.0.1', node: 'v20', platform: 'Linux 6' },
  date: '2026-11-29',
  scans: { count: 8, width: 6000, height: 4000, megabytes: 100 },
  vitrine: side(vitrine),
  peer: side(peer),
  peerSlides: 9,
  kiosk: {
    initialJs: { files: [{ file: './assets/index.js', gzip: 40 * 1024 }], total: 40 * 1024 },
    taps: [20, 30, 40],
    turns: [40, 50],
    fingerTurns: [20, 30, 60],
    fingerAhead: [true, true, false],
    ownPace: { seconds: 9, slides: 14, frames: [16.7, 16.7] },
    viewer: { scale: 5, frames: [16.7, 16.7] },
    map: { scale: 2.56, frames: Array.from({ length: 100 }, (_, i) => (i < 2 ? 33.3 : 16.7)) },
  },
  kioskStart: {
    ok: true,
    opened: 'Chromium kiosk',
    firstMs: 4200,
    ms: [900, 1100, 950],
    processMs: [700, 800, 750],
  },
});

/** The cells of the table row whose first cell starts with `name`. */
const rowOf = (md: string, name: string) =>
  md
    .split('\n')
    .find((l) => l.startsWith(`| ${name}`))
    ?.split('|')
    .map((c) => c.trim())
    .slice(1, -1);

describe('bench arithmetic', () => {
  it('takes percentiles by nearest rank', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(xs, 0.99)).toBe(99);
    expect(percentile(xs, 0.5)).toBe(50);
    expect(percentile([], 0.5)).toBeNaN();
  });

  it('counts frames over 25 ms as a share', () => {
    expect(longFrameShare([16, 16, 30, 50])).toBe(50);
    expect(longFrameShare([25, 16])).toBe(0);
  });

  it('gives Vitrine / peer as the ratio', () => {
    expect(ratio(220, 460)).toBe('0.48');
    expect(ratio(1, 0)).toBe('n/a');
  });
});

describe('bench report', () => {
  it('shows both contestants side by side with the ratio and the budget, and the machine', () => {
    const md = report(result({ fcpMs: 220 }, { fcpMs: 460 }));
    expect(rowOf(md, 'first contentful paint')).toEqual([
      'first contentful paint',
      '220.0 ms',
      '460.0 ms',
      '0.48',
      '≤ peer',
      'within budget',
    ]);
    expect(md).toContain('Test CPU 9000, 2 cores');
    expect(md).toContain('Chromium 156.0.1');
    expect(md).toContain('2026-11-29');
  });

  it('marks a row where Vitrine is behind the peer as over budget', () => {
    const md = report(result({ jsGzipBytes: 138 * 1024 }, { jsGzipBytes: 61 * 1024 }));
    const row = rowOf(md, 'JS loaded during the visit')!;
    expect(row.slice(1, 4)).toEqual(['138.0 kB', '61.0 kB', '2.26']);
    expect(row[5]).toBe('**over budget**');
  });

  it('holds frame p99 to 25 ms even when the peer is worse', () => {
    const slow = Array.from({ length: 100 }, (_, i) => (i < 5 ? 40 : 16.7));
    const slower = Array.from({ length: 100 }, (_, i) => (i < 5 ? 60 : 16.7));
    const row = rowOf(
      report(result({ advanceFrames: slow }, { advanceFrames: slower })),
      'frame time while advancing',
    )!;
    expect(row[1]).toBe('40.0 ms');
    expect(row[5]).toBe('**over budget**');
  });

  it('gives the map its own row, held to the 25 ms frame budget', () => {
    const row = rowOf(report(result({}, {})), 'pinching in and panning the campaign map')!;
    expect(row[0]).toContain('(2.56x)');
    expect(row.slice(1)).toEqual(['16.7 / 16.7 / 33.3 ms', 'p99 ≤ 25 ms', '**over budget**']);
  });

  it("says how soon a finger's tap shows the new chapter and how often its page was built before the lift", () => {
    const md = report(result({}, {}));
    expect(rowOf(md, "a finger's tap")!.slice(1)).toEqual(['30.0 / 60.0 ms; 2/3', '', '']);
  });

  it('reports heap growth as after minus before', () => {
    const md = report(
      result({ heapBefore: 0, heapAfter: 99 * 1024 }, { heapBefore: 0, heapAfter: 17 * 1024 }),
    );
    expect(rowOf(md, 'JS heap growth')!.slice(1, 4)).toEqual(['99.0 kB', '17.0 kB', '5.82']);
  });

  it('keeps the endurance section when the speed bench rewrites the file', () => {
    const before = `${report(result({}, {}))}\n${ENDURANCE_HEADING}\n\n| visit | JS heap |\n| 7 | 3 MB |\n`;
    const kept = enduranceSection(before);
    expect(kept.startsWith(ENDURANCE_HEADING)).toBe(true);
    const after = report(result({ fcpMs: 1 }, {}), kept);
    expect(after).toContain('| 7 | 3 MB |');
    expect(after.match(new RegExp(ENDURANCE_HEADING, 'g'))).toHaveLength(1);
    expect(enduranceSection('# Benchmarks\n')).toBe('');
  });
});

describe('the npm start table', () => {
  it('gives the first start, the later starts against the 1 s budget, and why Electron has no row', () => {
    const md = report(result({}, {}));
    expect(rowOf(md, 'first start (Chromium kiosk)')?.[1]).toBe('4200 ms');
    expect(rowOf(md, 'every later start (Chromium kiosk)')?.slice(1)).toEqual([
      '950 / 1100 ms',
      '≤ 1000 ms',
      'within budget',
    ]);
    expect(rowOf(md, 'Electron')?.[1]).toMatch(/no Electron binary/);
    const slow = { ...result({}, {}), kioskStart: { ...result({}, {}).kioskStart, ms: [1500, 1600, 1700] } };
    expect(rowOf(report(slow as Result), 'every later start')?.[3]).toBe('**over budget**');
  });

  it('says why it was not measured when no display could open', () => {
    const md = report({
      ...result({}, {}),
      kioskStart: { ok: false, reason: 'no X display and no Xvfb here' },
    });
    expect(md).toContain('Not measured here: no X display and no Xvfb here.');
  });
});
