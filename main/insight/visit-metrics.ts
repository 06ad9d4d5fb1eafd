/**
 * The visit counts as Prometheus metrics, counted as visits end:
 * `vitrine_visits_total`, `vitrine_chapter_views_total{chapter}` and the
 * `vitrine_visit_seconds` histogram (the dwell buckets of the curator's page).
 * Totals since the host started, like every counter; nothing per visitor.
 */
import { Counter, Histogram, type Registry } from 'prom-client';
import { DWELL_BUCKETS, type VisitSummary } from '../contract/visits.js';

/** Registers the visit metrics in `registry` and counts each visit `onVisit` reports; returns the unhooking. */
export function addVisitMetrics(
  registry: Registry,
  onVisit: (fn: (visit: VisitSummary) => void) => () => void,
): () => void {
  const visits = new Counter({
    name: 'vitrine_visits_total',
    help: 'Visits ended (idle reset or Start over) since the host started.',
    labelNames: ['ended'],
    registers: [registry],
  });
  for (const e of ['idle', 'start-over']) visits.inc({ ended: e }, 0);
  const chapters = new Counter({
    name: 'vitrine_chapter_views_total',
    help: 'Visits that opened each chapter, by chapter id, since the host started.',
    labelNames: ['chapter'],
    registers: [registry],
  });
  const seconds = new Histogram({
    name: 'vitrine_visit_seconds',
    help: 'How long visits lasted, from the first touch to the last.',
    buckets: [...DWELL_BUCKETS],
    registers: [registry],
  });
  return onVisit((v) => {
    visits.inc({ ended: v.ended });
    for (const id of Object.keys(v.chapters)) chapters.inc({ chapter: id });
    seconds.observe(v.seconds);
  });
}
