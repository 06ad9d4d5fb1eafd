import { describe, expect, it } from 'vitest';
import { VisitTally } from '../../src/lib/visit-report.js';

const IDS = ['prologue', 'manchuria', 'sakhalin'];
const S = 1000;

describe('visit tally', () => {
  it('sums a walk through the chapters into one summary, leaving out the time the kiosk waited', () => {
    const t = new VisitTally();
    t.view({ screen: 'attract', chapter: 0, lang: 'en' }, IDS, 0);
    expect(t.active).toBe(false);
    t.view({ screen: 'home', chapter: 0, lang: 'en' }, IDS, 10 * S);
    t.view({ screen: 'chapter', chapter: 1, lang: 'ru' }, IDS, 20 * S);
    t.view({ screen: 'viewer', chapter: 1, lang: 'ru' }, IDS, 30 * S);
    t.zoom();
    t.view({ screen: 'chapter', chapter: 2, lang: 'ru' }, IDS, 50 * S);
    t.narrationPlaying(0, 50 * S);
    t.narrationPlaying(12, 51 * S);
    t.narrationStopped(63 * S);
    t.view({ screen: 'map', chapter: 2, lang: 'ru' }, IDS, 70 * S);
    t.accessOn('largeText');
    t.accessOn('largeText');
    // The countdown ran out 25 s (idle 20 + countdown 5) after the last touch at 80 s.
    const summary = t.end('idle', 105 * S, 25 * S);
    expect(summary).toEqual({
      seconds: 70,
      chapters: { manchuria: 30, sakhalin: 20 },
      furthest: 2,
      extras: ['map'],
      lang: 'ru',
      narrationStarted: 1,
      narrationFinished: 1,
      access: ['largeText'],
      zooms: 1,
      ended: 'idle',
    });
    // Nothing carries over to the next visitor.
    expect(t.active).toBe(false);
    expect(t.end('idle', 200 * S)).toBeUndefined();
  });

  it('counts narration stopped early as started only, and Start over at the moment it is chosen', () => {
    const t = new VisitTally();
    t.view({ screen: 'chapter', chapter: 0, lang: 'en' }, IDS, 0);
    t.narrationPlaying(30, 1 * S);
    t.narrationStopped(5 * S);
    const s = t.end('start-over', 40 * S, 25 * S);
    expect(s).toMatchObject({ seconds: 40, narrationStarted: 1, narrationFinished: 0, ended: 'start-over' });
    expect(s?.chapters).toEqual({ prologue: 40 });
  });

  it('does not count a visit during which staff opened their panel', () => {
    const t = new VisitTally();
    t.view({ screen: 'home', chapter: 0, lang: 'en' }, IDS, 0);
    t.staffPresent();
    expect(t.end('idle', 60 * S, 25 * S)).toBeUndefined();
    // The next visitor counts again.
    t.view({ screen: 'home', chapter: 0, lang: 'en' }, IDS, 100 * S);
    expect(t.end('start-over', 110 * S)?.seconds).toBe(10);
  });
});
