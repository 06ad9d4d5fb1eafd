import { readFileSync } from 'node:fs';
import { geoConicConformal, geoDistance } from 'd3-geo';
import { describe, expect, it } from 'vitest';
import { parseExhibit } from '../../main/content/load.js';
import { FOCUS, FOCUS_BOUNDS, conic, fitMap, kmPerPx, project } from '../../src/lib/map/projection.js';

type Pad = { top: number; right: number; bottom: number; left: number };
const pad: Pad = { top: 28, right: 28, bottom: 28, left: 28 };

/** The focus box's outline, a point every degree. */
function focusOutline() {
  const [[w, s], [e, n]] = FOCUS;
  const pts: [number, number][] = [];
  for (let lon = w; lon <= e; lon += 1) pts.push([lon, s], [lon, n]);
  for (let lat = s; lat <= n; lat += 1) pts.push([w, lat], [e, lat]);
  return pts;
}

/** The projection as the map made it with d3-geo before: the reference the page must agree with. */
function d3Fitted(size: { width: number; height: number }, p: Pad) {
  const pts = focusOutline();
  return geoConicConformal()
    .rotate([-128, 0])
    .parallels([35, 55])
    .fitExtent(
      [
        [p.left, p.top],
        [Math.max(p.left + 1, size.width - p.right), Math.max(p.top + 1, size.height - p.bottom)],
      ],
      { type: 'MultiPoint', coordinates: pts },
    );
}

const loaded = parseExhibit(
  readFileSync(new URL('../../assets/exhibit/exhibit.yaml', import.meta.url), 'utf8'),
);
if (!loaded.ok) throw new Error('the bundled exhibit does not load');
const exhibitMap = loaded.exhibit.map!;
// Everything the bundled exhibit puts on the map, plus points well off it and at the world's edges.
const points: [number, number][] = [
  ...exhibitMap.places.map((p) => p.coordinates),
  ...exhibitMap.advances.flatMap((a) => a.path),
  [70, 12],
  [180, 72],
  [-170, -60],
  [0, 89.9],
  [52, 0],
  [-52, 10],
];

// Stage sizes the map is drawn at: 1080p landscape and portrait, and a 4K screen.
const SIZES = [
  { width: 1380, height: 880 },
  { width: 1080, height: 1200 },
  { width: 2860, height: 1900 },
  { width: 1, height: 1 },
];

describe('the map projection in the page', () => {
  it('puts the exhibit and its places where the map made by d3-geo has them, within 0.01 px', () => {
    expect(exhibitMap.places.length).toBeGreaterThan(5);
    for (const size of SIZES) {
      const fit = fitMap(size, pad);
      const ref = d3Fitted(size, pad);
      for (const ll of points) {
        const p = project(fit, ll);
        const [x, y] = ref(ll)!;
        expect(Math.abs(p.x - x), `${ll} x at ${size.width}x${size.height}`).toBeLessThan(0.01);
        expect(Math.abs(p.y - y), `${ll} y at ${size.width}x${size.height}`).toBeLessThan(0.01);
      }
    }
  });

  it('fits the focus box by its outline on the conic', () => {
    const xy = focusOutline().map(conic);
    const xs = xy.map((p) => p[0]);
    const ys = xy.map((p) => p[1]);
    expect(FOCUS_BOUNDS).toEqual([Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)]);
  });

  it('is d3-geo conic conformal at scale 1, centred on the origin', () => {
    const ref = geoConicConformal().rotate([-128, 0]).parallels([35, 55]).scale(1).translate([0, 0]);
    for (const ll of points) {
      const [x, y] = ref(ll)!;
      expect(conic(ll)[0]).toBeCloseTo(x, 12);
      expect(conic(ll)[1]).toBeCloseTo(y, 12);
    }
  });

  it.each([
    ['landscape', { width: 1380, height: 880 }],
    ['portrait', { width: 1080, height: 900 }],
  ])('keeps every named place of the campaign inside a %s view, north up', (_name, size) => {
    const fit = fitMap(size, pad);
    for (const p of exhibitMap.places) {
      const { x, y } = project(fit, p.coordinates);
      expect(x).toBeGreaterThanOrEqual(pad.left - 0.5);
      expect(x).toBeLessThanOrEqual(size.width - pad.right + 0.5);
      expect(y).toBeGreaterThanOrEqual(pad.top - 0.5);
      expect(y).toBeLessThanOrEqual(size.height - pad.bottom + 0.5);
    }
    expect(project(fit, [126.63, 45.75]).y).toBeLessThan(project(fit, [121.26, 38.81]).y);
  });

  it('gives the ground distance per px that d3-geo measures between two points of the view', () => {
    for (const size of SIZES.slice(0, 3)) {
      const fit = fitMap(size, pad);
      const ref = d3Fitted(size, pad);
      for (const at of [
        { x: size.width / 2, y: size.height / 2 },
        { x: size.width * 0.2, y: size.height * 0.8 },
        { x: size.width * 0.9, y: size.height * 0.1 },
      ]) {
        const a = ref.invert!([at.x - 5, at.y])!;
        const b = ref.invert!([at.x + 5, at.y])!;
        const measured = (geoDistance(a, b) * 6371) / 10;
        expect(kmPerPx(fit, at) / measured).toBeCloseTo(1, 4);
      }
    }
  });
});
