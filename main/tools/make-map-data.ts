/**
 * Builds the campaign map's base data: Natural Earth land and country borders
 * (public domain, via the `world-atlas` package) clipped to the Far East,
 * rounded and simplified, plus a 10 degree graticule, all projected once here
 * by d3-geo onto the map's conformal conic (`src/lib/map/projection.ts`), so
 * the page neither ships the whole world nor a projection library: it only
 * scales the ready plane shapes to its view.
 *
 * Run: `npx tsx main/tools/make-map-data.ts [--scale 10m|50m]`
 * Writes `assets/map/far-east.topo.json`, a TopoJSON topology (see
 * `BaseMapFile` in `main/contract/base-map.ts`). The renderer fetches it as a static file when
 * the map opens instead of carrying it as a script.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { geoArea, geoConicConformal, geoGraticule, geoIdentity, geoStream, type GeoStream } from 'd3-geo';
import { feature, mesh } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { MultiLineString, MultiPolygon, Position } from 'geojson';
import { PARALLELS, ROTATE, type BaseMapFile } from '../contract/base-map.js';

/** Longitude/latitude window kept, a little wider than the map's view so edges never show bare sea. */
export const CLIP_EXTENT: [[number, number], [number, number]] = [
  [70, 12],
  [180, 72],
];

/** Decimal places kept: 0.01 degree is about 1 km, finer than a 4K screen shows the whole region. */
const PRECISION = 2;

/**
 * Douglas-Peucker tolerance in degrees. At the map's deepest zoom a degree is
 * a few hundred pixels, so 0.012 degree stays within a few pixels of the coast.
 */
const TOLERANCE = 0.012;

/** The clipped region as GeoJSON, in longitude/latitude: what is projected into the file. */
export interface MapData {
  /** Where the data came from, for the credits screen and for anyone inspecting the file. */
  source: string;
  scale: string;
  /** [[west, south], [east, north]] in degrees. */
  extent: [[number, number], [number, number]];
  land: MultiPolygon;
  borders: MultiLineString;
}

const round = (v: number) => Math.round(v * 10 ** PRECISION) / 10 ** PRECISION;

/** Douglas-Peucker simplification of a polyline (first and last points always kept). */
export function simplify(points: Position[], tolerance: number): Position[] {
  if (points.length <= 2) return points;
  const keep = new Uint8Array(points.length);
  keep[0] = keep[points.length - 1] = 1;
  const stack: [number, number][] = [[0, points.length - 1]];
  while (stack.length) {
    const [a, b] = stack.pop()!;
    const [ax, ay] = points[a] as [number, number];
    const [bx, by] = points[b] as [number, number];
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    let worst = -1;
    let worstD = tolerance * tolerance;
    for (let i = a + 1; i < b; i++) {
      const [px, py] = points[i] as [number, number];
      let t = len2 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;
      t = Math.max(0, Math.min(1, t));
      const ex = ax + t * dx - px;
      const ey = ay + t * dy - py;
      const d = ex * ex + ey * ey;
      if (d > worstD) {
        worstD = d;
        worst = i;
      }
    }
    if (worst > 0) {
      keep[worst] = 1;
      stack.push([a, worst], [worst, b]);
    }
  }
  return points.filter((_, i) => keep[i]);
}

/**
 * A d3 stream sink that collects what it receives back into GeoJSON
 * coordinates: polygons (each with its rings) and lines.
 */
function collector() {
  const polygons: Position[][][] = [];
  const lines: Position[][] = [];
  let inPolygon = false;
  let rings: Position[][] = [];
  let current: Position[] = [];
  const sink: GeoStream = {
    point(x, y) {
      const p: Position = [round(x), round(y)];
      const last = current[current.length - 1];
      // Rounding merges near points; repeated vertices only add bytes.
      if (!last || last[0] !== p[0] || last[1] !== p[1]) current.push(p);
    },
    lineStart() {
      current = [];
    },
    lineEnd() {
      if (inPolygon) {
        if (current.length >= 3) {
          const first = current[0]!;
          const last = current[current.length - 1]!;
          if (first[0] !== last[0] || first[1] !== last[1]) current.push([first[0]!, first[1]!]);
          const ring = simplify(current, TOLERANCE);
          if (ring.length >= 4) rings.push(ring);
        }
      } else if (current.length >= 2) {
        lines.push(simplify(current, TOLERANCE));
      }
    },
    polygonStart() {
      inPolygon = true;
      rings = [];
    },
    polygonEnd() {
      inPolygon = false;
      if (rings.length) polygons.push(rings);
    },
    sphere() {},
  };
  return { sink, polygons, lines };
}

/** Clips any GeoJSON object to {@link CLIP_EXTENT} in plain longitude/latitude. */
function clip(object: Parameters<typeof geoStream>[0]) {
  const c = collector();
  // geoIdentity keeps degrees as they are; its clipExtent is a planar rectangle cut.
  const stream = geoIdentity().clipExtent(CLIP_EXTENT).stream(c.sink);
  geoStream(object, stream);
  return c;
}

/**
 * Planar clipping may hand back a polygon's rings in either winding; d3-geo
 * reads winding on the sphere (clockwise = outer ring), so put outer rings
 * right and split every outer ring into its own polygon with its holes.
 */
function normalise(polygons: Position[][][]): Position[][][] {
  const out: Position[][][] = [];
  for (const rings of polygons) {
    const outers: Position[][] = [];
    const holes: Position[][] = [];
    for (const ring of rings) {
      // Signed planar area in lon/lat: negative = clockwise with y pointing north.
      let a = 0;
      for (let i = 0; i + 1 < ring.length; i++) {
        a += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!;
      }
      if (a < 0) outers.push(ring);
      else holes.push(ring);
    }
    for (const outer of outers) out.push([outer]);
    // Holes (inland seas) are rare here; attach each to the outer ring that contains its first point.
    for (const hole of holes) {
      const owner = out.find((p) => pointInRing(hole[0]!, p[0]!));
      if (owner) owner.push(hole);
    }
  }
  // A ring wound the wrong way on the sphere would cover the whole globe but itself.
  return out.filter((p) => geoArea({ type: 'Polygon', coordinates: p }) < 2 * Math.PI);
}

function pointInRing([x, y]: Position, ring: Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > y! !== yj > y! && x! < ((xj - xi) * (y! - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Reads world-atlas at `scale` and returns the clipped region. */
export function makeMapData(scale: '10m' | '50m' | '110m' = '10m'): MapData {
  const require = createRequire(import.meta.url);
  const read = (name: string) =>
    JSON.parse(readFileSync(require.resolve(`world-atlas/${name}-${scale}.json`), 'utf8')) as Topology;
  const landTopo = read('land');
  const countriesTopo = read('countries');
  const land = feature(landTopo, landTopo.objects.land as GeometryCollection);
  const borders = mesh(
    countriesTopo,
    countriesTopo.objects.countries as GeometryCollection,
    // Only borders between two countries: coasts come from the land layer.
    (a, b) => a !== b,
  );
  const landClip = clip(land);
  const borderClip = clip(borders);
  return {
    source: `Natural Earth ${scale} land and admin-0 countries (public domain), via world-atlas 2`,
    scale,
    extent: CLIP_EXTENT,
    land: { type: 'MultiPolygon', coordinates: normalise(landClip.polygons) },
    borders: { type: 'MultiLineString', coordinates: borderClip.lines },
  };
}

/**
 * The d3 scale the lines are projected at. d3-geo bends every line into the
 * curve the projection gives it by adding points until it is within 0.7 px of
 * it at this scale: about the scale the map is drawn at on a 4K screen, so it
 * is as true on any screen as d3 drawing it in the page was.
 */
export const REF_SCALE = 4000;

/**
 * Integer steps per unit of the plane (the earth's radius): 16 m on the ground,
 * under 0.005 px even on a 4K screen, so the shapes sit where d3-geo would draw them.
 */
export const UNIT = 4e5;

/** The map's projection as d3-geo makes it, at {@link REF_SCALE} and centred on the origin. */
export function referenceProjection() {
  return geoConicConformal()
    .rotate([ROTATE, 0])
    .parallels([...PARALLELS])
    .scale(REF_SCALE)
    .translate([0, 0]);
}

/** Projects `object` and collects what comes out as rings (for polygons) and lines, in plane units. */
function projectAll(object: Parameters<typeof geoStream>[0]) {
  const polygons: number[][][] = [];
  const lines: number[][] = [];
  let rings: number[][] | undefined;
  let current: number[] = [];
  const sink: GeoStream = {
    point(x, y) {
      current.push(x / REF_SCALE, y / REF_SCALE);
    },
    lineStart() {
      current = [];
    },
    lineEnd() {
      if (rings) rings.push(current);
      else lines.push(current);
    },
    polygonStart() {
      rings = [];
    },
    polygonEnd() {
      if (rings?.length) polygons.push(rings);
      rings = undefined;
    },
    sphere() {},
  };
  geoStream(object, referenceProjection().stream(sink));
  return { polygons, lines };
}

/**
 * A line as TopoJSON arc: integer steps, the first point absolute and each
 * next one relative (repeats dropped). A ring is closed, as TopoJSON asks.
 */
function encode(flat: number[], ring = false): number[][] {
  const out: number[][] = [];
  let [px, py] = [0, 0];
  const steps = ring ? [...flat, flat[0]!, flat[1]!] : flat;
  for (let i = 0; i < steps.length; i += 2) {
    const x = Math.round(steps[i]! * UNIT);
    const y = Math.round(steps[i + 1]! * UNIT);
    if (out.length && x === px && y === py) continue;
    out.push([x - px, y - py]);
    [px, py] = [x, y];
  }
  return out;
}

/**
 * Projects {@link MapData} and a graticule onto the map's plane and writes
 * them as one TopoJSON topology: the file the page draws. Each ring and line
 * is its own arc; land and borders come from different world-atlas layers
 * and share no arcs, so nothing is gained by merging them.
 */
export function toBaseMapFile(data: MapData): BaseMapFile {
  const [[w, s], [e, n]] = data.extent;
  const graticule = geoGraticule()
    .extent([
      [w, s],
      [e, n],
    ])
    .step([10, 10])();
  const arcs: number[][][] = [];
  const arc = (points: number[][]) => arcs.push(points) - 1;
  // d3's polygon clip hands a ring over without repeating its first point: encode closes it.
  const land = data.land.coordinates.flatMap((rings) =>
    projectAll({ type: 'Polygon', coordinates: rings }).polygons.map((p) =>
      p.map((r) => [arc(encode(r, true))]),
    ),
  );
  const lines = (flat: number[][]) => flat.map((l) => [arc(encode(l))]);
  const borders = lines(projectAll(data.borders).lines);
  return {
    type: 'Topology',
    source: data.source,
    scale: data.scale,
    projection: { name: 'conicConformal', rotate: ROTATE, parallels: [...PARALLELS] },
    transform: { scale: [1 / UNIT, 1 / UNIT], translate: [0, 0] },
    objects: {
      land: { type: 'MultiPolygon', arcs: land },
      borders: { type: 'MultiLineString', arcs: borders },
      graticule: { type: 'MultiLineString', arcs: lines(projectAll(graticule).lines) },
    },
    arcs,
  };
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const i = process.argv.indexOf('--scale');
  const scale = (i > 0 ? process.argv[i + 1] : '10m') as '10m' | '50m' | '110m';
  const data = makeMapData(scale);
  const out = fileURLToPath(new URL('../../assets/map/far-east.topo.json', import.meta.url));
  mkdirSync(dirname(out), { recursive: true });
  // Compact, as TopoJSON files are: pretty-printed, every point would take a line.
  const text = JSON.stringify(toBaseMapFile(data));
  writeFileSync(out, text + '\n');
  console.log(
    `wrote ${out}: ${(text.length / 1024).toFixed(0)} kB, ${data.land.coordinates.length} land polygons, ${data.borders.coordinates.length} border lines`,
  );
}
