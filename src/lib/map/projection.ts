/**
 * The campaign map's one projection, without d3-geo: a conformal conic
 * centred on Manchuria (standard parallels 35 and 55 N, like the region's
 * atlases). The base map is projected with the very same parameters at build
 * time (`main/tools/make-map-data.ts`, by d3-geo); here only the places and
 * arrows staff give in longitude/latitude are projected, by the same formulas
 * d3-geo's `geoConicConformal` uses, and the whole map is fitted to the view
 * with a scale and an offset (what d3's `fitExtent` does).
 */
import { PARALLELS, ROTATE } from '../../../main/contract/base-map.js';
import type { Point, Size } from '../pan-zoom';

export { PARALLELS, ROTATE };

/**
 * The area the map must always show whole: Lake Baikal and Mongolia in the
 * west, Kamchatka's tip and the northern Kurils in the east, Tokyo Bay and
 * Kyushu in the south.
 */
export const FOCUS: [[number, number], [number, number]] = [
  [102, 31],
  [159, 56],
];

const RAD = Math.PI / 180;
const HALF_PI = Math.PI / 2;
const tany = (phi: number) => Math.tan((HALF_PI + phi) / 2);
const [Y0, Y1] = [PARALLELS[0] * RAD, PARALLELS[1] * RAD];
/** The cone's constant and the radius factor, as d3-geo's `conicConformalRaw` computes them. */
const N = Math.log(Math.cos(Y0) / Math.cos(Y1)) / Math.log(tany(Y1) / tany(Y0));
const F = (Math.cos(Y0) * tany(Y0) ** N) / N;

/**
 * Projects a longitude/latitude (degrees) to the map's plane in units of the
 * earth's radius, x east and y down, the central meridian at x = 0: d3-geo's
 * `geoConicConformal().rotate([ROTATE, 0]).parallels(PARALLELS)` at scale 1
 * and translate [0, 0].
 */
export function conic([lon, lat]: readonly [number, number]): [number, number] {
  let l = lon * RAD + ROTATE * RAD;
  if (Math.abs(l) > Math.PI) l -= Math.round(l / (2 * Math.PI)) * 2 * Math.PI;
  // The pole behind the cone has no place on it: d3-geo clamps just short of it.
  const r = F / tany(Math.max(lat * RAD, 1e-6 - HALF_PI)) ** N;
  return [r * Math.sin(N * l), r * Math.cos(N * l) - F];
}

/** A fitted view of the plane: screen = offset + k * plane point. */
export interface MapFit {
  k: number;
  x: number;
  y: number;
}

/**
 * {@link FOCUS}'s outline on the plane, [x0, y0, x1, y1]: the bounds of
 * {@link conic} over a point every degree along the box's edges, so the
 * conic's curved edges are fitted too (a unit test recomputes them).
 */
export const FOCUS_BOUNDS = [
  -0.3875825780825677, -1.101137093961371, 0.45872350788923266, -0.6102112079759692,
];

/** Fits {@link FOCUS} to `size` with `pad` px to spare and centres it, as d3's `fitExtent` does. */
export function fitMap(
  size: Size,
  pad: { top: number; right: number; bottom: number; left: number },
): MapFit {
  const w = Math.max(pad.left + 1, size.width - pad.right) - pad.left;
  const h = Math.max(pad.top + 1, size.height - pad.bottom) - pad.top;
  const [x0, y0, x1, y1] = FOCUS_BOUNDS as [number, number, number, number];
  const k = Math.min(w / (x1 - x0), h / (y1 - y0));
  return { k, x: pad.left + (w - k * (x1 + x0)) / 2, y: pad.top + (h - k * (y1 + y0)) / 2 };
}

/** Where a longitude/latitude lands in the fitted (unzoomed) view, in px. */
export function project(fit: MapFit, lonLat: readonly [number, number]): Point {
  const [x, y] = conic(lonLat);
  return { x: fit.x + fit.k * x, y: fit.y + fit.k * y };
}

/**
 * Kilometres on the ground per px of the fitted view at view point `at`.
 * The conic is conformal, so the scale is the same every way from a point
 * and depends only on the distance to the cone's apex.
 */
export function kmPerPx(fit: MapFit, at: Point): number {
  const x = (at.x - fit.x) / fit.k;
  const y = (at.y - fit.y) / fit.k + F;
  const r = Math.hypot(x, y);
  const phi = 2 * Math.atan((F / r) ** (1 / N)) - HALF_PI;
  return (6371 * Math.cos(phi)) / (N * r * fit.k);
}
