/**
 * The campaign map's base map, already projected: `assets/map/far-east.topo.json`
 * (a TopoJSON topology written by `main/tools/make-map-data.ts`) holds land,
 * borders and the graticule as points on the plane of `projection.ts`, so the page only scales
 * them to the view, cuts them to it and prints SVG paths.
 */
import type { Position } from 'geojson';
import { feature } from 'topojson-client';
import type { MapFit } from './projection';
import type { BaseMapFile } from '../../../main/contract/base-map.js';

export type { BaseMapFile };

/** A ring or line as plane coordinates: x0, y0, x1, y1, ... */
type Flat = number[];

/** The base map decoded to plane coordinates. */
export interface BaseMap {
  land: Flat[][];
  borders: Flat[];
  graticule: Flat[];
}

/** Positions as a flat list; a closed ring loses its repeated last point (the path closes it with Z). */
const flat = (points: Position[], ring = false): Flat => (ring ? points.slice(0, -1) : points).flat();

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isPair = (v: unknown): v is [number, number] => Array.isArray(v) && v.length === 2 && v.every(finite);

/**
 * How far from the projection's centre a point may lie, in plane units (the
 * earth's radius): the region's farthest corner is at about 1.4, so anything
 * past this is a damaged number, not a place.
 */
const MAX_PLANE = 4;

/**
 * Reads the file's TopoJSON (with topojson-client) back into plane coordinates.
 * Throws on anything that is not the map's topology (wrong type, no usable
 * `transform`, other or empty geometry, a point that is not two numbers or
 * lies far off the map), so a damaged file is refused whole rather than drawn
 * half or wrong.
 */
export function decodeBaseMap(file: BaseMapFile): BaseMap {
  const f = file as Partial<BaseMapFile> | null;
  if (f?.type !== 'Topology' || !Array.isArray(f.arcs)) throw new Error('map data: not a TopoJSON topology');
  const t = f.transform;
  if (!isPair(t?.scale) || !isPair(t.translate) || !(t.scale[0] > 0 && t.scale[1] > 0))
    throw new Error('map data: no usable transform');
  if (!f.arcs.every((a) => Array.isArray(a) && a.length >= 2 && a.every(isPair)))
    throw new Error('map data: an arc point is not two numbers');
  const { land, borders, graticule } = f.objects ?? {};
  if (
    land?.type !== 'MultiPolygon' ||
    borders?.type !== 'MultiLineString' ||
    graticule?.type !== 'MultiLineString'
  )
    throw new Error('map data: land, borders or graticule missing');
  const map: BaseMap = {
    land: feature(file, land).geometry.coordinates.map((rings) => rings.map((r) => flat(r, true))),
    borders: feature(file, borders).geometry.coordinates.map((l) => flat(l)),
    graticule: feature(file, graticule).geometry.coordinates.map((l) => flat(l)),
  };
  if (!map.land.length || !map.borders.length || !map.graticule.length)
    throw new Error('map data: land, borders or graticule empty');
  if (map.land.some((rings) => !rings.length || rings.some((r) => r.length < 6)))
    throw new Error('map data: a landmass without its outline');
  const lines = [...map.land.flat(), ...map.borders, ...map.graticule];
  // Also false for NaN and Infinity.
  if (!lines.every((l) => l.every((v) => Math.abs(v) <= MAX_PLANE)))
    throw new Error('map data: a point lies off the map');
  return map;
}

/** How long the base map may take to arrive before the map is shown without it. */
const LOAD_TIMEOUT_MS = 10_000;

/**
 * Fetches and decodes the base map at `url`; rejects if the file cannot be had
 * within {@link LOAD_TIMEOUT_MS}, or is not the map's topology.
 */
export async function loadBaseMap(url: string, signal?: AbortSignal): Promise<BaseMap> {
  const timeout = AbortSignal.timeout(LOAD_TIMEOUT_MS);
  const res = await fetch(url, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
  if (!res.ok) throw new Error(`map data: ${res.status} ${res.statusText}`);
  return decodeBaseMap((await res.json()) as BaseMapFile);
}

/** The view rectangle paths are cut to: [x0, y0, x1, y1] in view px. */
export type Rect = [number, number, number, number];

const fmt = (v: number) => Math.round(v * 10) / 10;

/** Plane coordinates to view px. */
const toView = (flat: Flat, fit: MapFit): Flat => flat.map((v, i) => (i % 2 ? fit.y : fit.x) + fit.k * v);

/**
 * Cuts a closed ring to `rect` (Sutherland-Hodgman, one side at a time): the
 * part outside becomes a run along the rectangle's edge, so the fill stays right.
 */
function clipRing(ring: Flat, [x0, y0, x1, y1]: Rect): Flat {
  let pts = ring;
  for (let side = 0; side < 4 && pts.length; side++) {
    const axis = side % 2;
    const edge = [x0, y0, x1, y1][side]!;
    const inside = (i: number) => (side < 2 ? pts[i + axis]! >= edge : pts[i + axis]! <= edge);
    const out: Flat = [];
    for (let i = 0, j = pts.length - 2; i < pts.length; j = i, i += 2) {
      if (inside(i) !== inside(j)) {
        const t = (edge - pts[j + axis]!) / (pts[i + axis]! - pts[j + axis]!);
        out.push(pts[j]! + t * (pts[i]! - pts[j]!), pts[j + 1]! + t * (pts[i + 1]! - pts[j + 1]!));
      }
      if (inside(i)) out.push(pts[i]!, pts[i + 1]!);
    }
    pts = out;
  }
  return pts;
}

/**
 * Cuts a line to `rect` segment by segment (Liang-Barsky): what is left is
 * one or more runs, each as SVG path data.
 */
function clipLine(line: Flat, [x0, y0, x1, y1]: Rect): string {
  let d = '';
  for (let i = 2; i < line.length; i += 2) {
    const ax = line[i - 2]!;
    const ay = line[i - 1]!;
    const dx = line[i]! - ax;
    const dy = line[i + 1]! - ay;
    let t0 = 0;
    let t1 = 1;
    for (const [p, q] of [
      [-dx, ax - x0],
      [dx, x1 - ax],
      [-dy, ay - y0],
      [dy, y1 - ay],
    ] as const) {
      if (p === 0) {
        if (q < 0) t1 = -1;
      } else if (p < 0) t0 = Math.max(t0, q / p);
      else t1 = Math.min(t1, q / p);
    }
    if (t0 > t1) continue;
    // A segment that starts inside carries on from the last one (whose end was inside too).
    if (!d || t0 > 0) d += `M${fmt(ax + t0 * dx)},${fmt(ay + t0 * dy)}`;
    d += `L${fmt(ax + t1 * dx)},${fmt(ay + t1 * dy)}`;
  }
  return d;
}

/** A closed ring as SVG path data ('' if nothing is left of it). */
function ringPath(ring: Flat): string {
  if (ring.length < 6) return '';
  let d = '';
  for (let i = 0; i < ring.length; i += 2) d += `${i ? 'L' : 'M'}${fmt(ring[i]!)},${fmt(ring[i + 1]!)}`;
  return d + 'Z';
}

/** The base map's SVG paths for a fitted view, cut to `rect`: one path per landmass left in view. */
export function basePaths(map: BaseMap, fit: MapFit, rect: Rect) {
  const lines = (ls: Flat[]) => ls.map((l) => clipLine(toView(l, fit), rect)).join('');
  return {
    land: map.land
      .map((rings) => rings.map((r) => ringPath(clipRing(toView(r, fit), rect))).join(''))
      .filter((d) => d.length > 0),
    borders: lines(map.borders),
    graticule: lines(map.graticule),
  };
}
