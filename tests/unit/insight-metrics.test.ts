import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { VisitSummary } from '../../main/contract/visits.js';
import { addVisitMetrics } from '../../main/insight/visit-metrics.js';

describe('visit metrics', () => {
  it('counts visits, chapter views and visit length as visits end', async () => {
    const registry = new Registry();
    let emit: (v: VisitSummary) => void = () => {};
    addVisitMetrics(registry, (fn) => {
      emit = fn;
      return () => {};
    });
    const base: VisitSummary = {
      seconds: 45,
      chapters: { prologue: 20, manchuria: 10 },
      furthest: 1,
      extras: [],
      lang: 'en',
      narrationStarted: 0,
      narrationFinished: 0,
      access: [],
      zooms: 0,
      ended: 'idle',
    };
    emit(base);
    emit({ ...base, seconds: 700, chapters: { prologue: 600 }, ended: 'start-over' });
    const text = await registry.metrics();
    expect(text).toContain('vitrine_visits_total{ended="idle"} 1');
    expect(text).toContain('vitrine_visits_total{ended="start-over"} 1');
    expect(text).toContain('vitrine_chapter_views_total{chapter="prologue"} 2');
    expect(text).toContain('vitrine_chapter_views_total{chapter="manchuria"} 1');
    expect(text).toContain('vitrine_visit_seconds_bucket{le="60"} 1');
    expect(text).toContain('vitrine_visit_seconds_bucket{le="1200"} 2');
    expect(text).toContain('vitrine_visit_seconds_count 2');
  });
});
