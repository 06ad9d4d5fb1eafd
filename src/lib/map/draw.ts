/**
 * Geometry for the campaign map that has nothing to do with the DOM: arrows
 * with heads, a scale bar of a round length, and label placement that keeps
 * names from sitting on each other. The projection is in `projection.ts`.
 */
import type { Point } from '../pan-zoom';

/** An arrow along `points`: a smooth shaft and a triangular head at the last point. */
export interface ArrowShape {
  /** SVG path data for the shaft. */
  line: string;
  /** SVG points for the head polygon. */
  head: string;
}

const fmt = (v: number) => Math.round(v * 10) / 10;

/**
 * A smooth arrow through `points` (screen px), `width` px thick. The shaft
 * (a Catmull-Rom curve) stops short of the tip so its round cap never shows
 * past the head.
 */
export function arrowShape(points: readonly Point[], width: number): ArrowShape {
  const pts = points.filter(
    (p, i) => i === 0 || Math.hypot(p.x - points[i - 1]!.x, p.y - points[i - 1]!.y) > 0.5,
  );
  const tip = pts[pts.length - 1];
  const prev = pts[pts.length - 2];
  if (!tip || !prev) return { line: '', head: '' };
  const headLen = width * 3.2;
  const headHalf = width * 1.9;
  const dx = tip.x - prev.x;
  const dy = tip.y - prev.y;
  const len = Math.hypot(dx, dy) || 1;
  const ux = dx / len;
  const uy = dy / len;
  const shaftEnd = { x: tip.x - ux * headLen * 0.8, y: tip.y - uy * headLen * 0.8 };
  const shaft = [...pts.slice(0, -1), shaftEnd];
  let d = `M${fmt(shaft[0]!.x)},${fmt(shaft[0]!.y)}`;
  for (let i = 0; i + 1 < shaft.length; i++) {
    const p0 = shaft[i - 1] ?? shaft[i]!;
    const p1 = shaft[i]!;
    const p2 = shaft[i + 1]!;
    const p3 = shaft[i + 2] ?? p2;
    const c1 = { x: p1.x + (p2.x - p0.x) / 6, y: p1.y + (p2.y - p0.y) / 6 };
    const c2 = { x: p2.x - (p3.x - p1.x) / 6, y: p2.y - (p3.y - p1.y) / 6 };
    d += ` C${fmt(c1.x)},${fmt(c1.y)} ${fmt(c2.x)},${fmt(c2.y)} ${fmt(p2.x)},${fmt(p2.y)}`;
  }
  const base = { x: tip.x - ux * headLen, y: tip.y - uy * headLen };
  const head = [
    [tip.x, tip.y],
    [base.x - uy * headHalf, base.y + ux * headHalf],
    [base.x + uy * headHalf, base.y - ux * headHalf],
  ]
    .map(([x, y]) => `${fmt(x!)},${fmt(y!)}`)
    .join(' ');
  return { line: d, head };
}

const NICE_KM = [10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000];

/**
 * A scale bar for the map: the roundest length in km whose bar fits in
 * `maxPx`, given the ground distance per px of the unzoomed map where the
 * visitor is looking (the scale of a conic varies across the map) and the zoom.
 */
export function scaleBar(
  kmPerPx: number,
  zoom: number,
  maxPx: number,
): { km: number; px: number } | undefined {
  const k = kmPerPx / zoom;
  if (!(k > 0)) return undefined;
  const km = [...NICE_KM].reverse().find((n) => n / k <= maxPx) ?? NICE_KM[0]!;
  return { km, px: km / k };
}

/** A label to place beside its anchor point. */
export interface LabelRequest {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Regions sit centred on their point; cities and water sit beside a dot. */
  centred: boolean;
}

/** Where a label went: its box's top-left corner and the text anchor side. */
export interface PlacedLabel {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
  anchor: 'start' | 'middle' | 'end';
}

type Box = { x: number; y: number; width: number; height: number };
const overlap = (a: Box, b: Box) =>
  Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)) *
  Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));

/**
 * Greedy label placement: each label tries right of its point, then left,
 * above, below and the diagonals (regions: centred, then nudged up or down),
 * and takes the first spot clear of labels already placed and of every
 * point's dot, or failing that the spot that overlaps least. Regions go first.
 */
export function placeLabels(requests: readonly LabelRequest[], gap = 14): PlacedLabel[] {
  const placed: PlacedLabel[] = [];
  const dots: Box[] = requests
    .filter((r) => !r.centred)
    .map((r) => ({ x: r.x - 9, y: r.y - 9, width: 18, height: 18 }));
  const ordered = [...requests].sort((a, b) => Number(b.centred) - Number(a.centred));
  for (const r of ordered) {
    const { id, width: w, height: h } = r;
    const at = (x: number, y: number, anchor: PlacedLabel['anchor']): PlacedLabel => ({
      id,
      x,
      y,
      width: w,
      height: h,
      anchor,
    });
    const candidates: PlacedLabel[] = r.centred
      ? [
          at(r.x - w / 2, r.y - h / 2, 'middle'),
          at(r.x - w / 2, r.y - h * 1.4, 'middle'),
          at(r.x - w / 2, r.y + h * 0.4, 'middle'),
        ]
      : [
          at(r.x + gap, r.y - h / 2, 'start'),
          at(r.x - gap - w, r.y - h / 2, 'end'),
          at(r.x - w / 2, r.y - gap - h, 'middle'),
          at(r.x - w / 2, r.y + gap, 'middle'),
          at(r.x + gap * 0.7, r.y - gap * 0.7 - h, 'start'),
          at(r.x - gap * 0.7 - w, r.y + gap * 0.7, 'end'),
          at(r.x + gap * 0.7, r.y + gap * 0.7, 'start'),
          at(r.x - gap * 0.7 - w, r.y - gap * 0.7 - h, 'end'),
        ];
    const cost = (c: PlacedLabel) =>
      placed.reduce((sum, p) => sum + overlap(c, p), 0) +
      (r.centred ? 0 : dots.reduce((sum, d) => sum + overlap(c, d), 0));
    let best = candidates[0]!;
    let bestCost = Infinity;
    for (const c of candidates) {
      const k = cost(c);
      if (k < bestCost) {
        best = c;
        bestCost = k;
      }
      if (k === 0) break;
    }
    placed.push(best);
  }
  return placed;
}
