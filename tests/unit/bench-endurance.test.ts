/**
 * The endurance run's first-use tour: the level the run must come back to is
 * the level once every screen has been used, so the tour must have opened every
 * lazily loaded screen a visitor can reach, and a run whose tour fell short
 * must not report itself back at its level.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  endurancePlan,
  enduranceReport,
  TOUR,
  unopenedComponents,
  type Counters,
  type EnduranceResult,
} from '../../main/tools/bench-endurance.js';

const components = readdirSync(fileURLToPath(new URL('../../src/components', import.meta.url)), {
  recursive: true,
  encoding: 'utf8',
}).filter((f) => f.endsWith('.svelte'));

// A build's assets as Vite names them: lazily loaded components, shared chunks, styles, media.
const chunks = [
  'index-BG8QgIN5.js',
  'index-DTdVF2i9.css',
  'Timeline-CuvKOUz5.js',
  'Timeline-B-w8vZFU.css',
  'CampaignMap-Cx137j98.js',
  'IdleOverlay-Ba2thjhz.js',
  'AccessPanel-DDPDu_cR.js',
  'pan-zoom-77FnVv78.js',
  'guide-CaU_-5cW.js',
  'PinPad-Qp8i1lRK.js',
  'StaffPanel-CFijrP5S.js',
  'VisitsButton-9qgKPApd.js',
  'EditorPanel-BpzuAdjX.js',
  'ambient-C_2ehTeF.ogg',
];
const at = (f: string) => `http://127.0.0.1:4173/assets/${f}`;

describe('endurance: the first-use tour opens every screen a visitor can reach', () => {
  it('names the visitor screens whose code the page never fetched', () => {
    const fetched = ['index-BG8QgIN5.js', 'Timeline-CuvKOUz5.js', 'pan-zoom-77FnVv78.js'].map(at);
    expect(unopenedComponents(chunks, fetched, components)).toEqual([
      'AccessPanel',
      'CampaignMap',
      'IdleOverlay',
    ]);
  });

  it('is satisfied once all of them were fetched, whatever the staff area did', () => {
    const fetched = [
      'Timeline-CuvKOUz5.js',
      'CampaignMap-Cx137j98.js?v=1',
      'IdleOverlay-Ba2thjhz.js',
      'AccessPanel-DDPDu_cR.js',
    ].map(at);
    // The staff panel, PIN pad, visits page and editor badge are behind the staff corner, which no visitor opens.
    expect(unopenedComponents(chunks, fetched, components)).toEqual([]);
  });
});

describe('endurance report', () => {
  const c = (visit: number, nodes: number): Counters => ({
    visit,
    heap: 5 * 1024 * 1024,
    nodes,
    listeners: 76,
    howls: 0,
  });
  const plan = endurancePlan(false);
  const result = (over: Partial<EnduranceResult> = {}): EnduranceResult => ({
    plan,
    date: '2026-11-29',
    seconds: 1200,
    touches: 10_000,
    slideChanges: 1000,
    checkpoints: [c(0, 1057), c(7, 1064), c(10, 1058), c(100, 1064)],
    baseline: c(7, 1064),
    end: c(100, 1064),
    errors: [],
    stuck: [],
    tourMissed: [],
    memory: { baseline: 1e9, peak: 1.04e9, pictures: 8, missed: [] },
    machine: 'test machine',
    ...over,
  });

  it('says the baseline comes after the tour of every screen, and shows the level the tour left', () => {
    const md = enduranceReport(result());
    expect(md).toContain('Overall: back at its level, no errors, never stuck.');
    expect(md).toContain('| after the tour | 5.00 MB | 1057 | 76 | 0 |');
    expect(md).toContain(`after the tour and the first ${plan.warmup} random visits, at visit 7`);
    for (const step of TOUR) expect(md).toContain(step);
  });

  it('does not call the run back at its level when a step of the tour could not be taken', () => {
    const md = enduranceReport(result({ tourMissed: ['tour: never opened CampaignMap'] }));
    expect(md).toMatch(
      /\| steps of the first-use tour that could not be taken \| \| 1 \| none \| \*\*over budget\*\* \|/,
    );
    expect(md).toContain('Overall: **tour: never opened CampaignMap**.');
  });
});
