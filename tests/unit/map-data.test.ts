import { readFileSync } from 'node:fs';
import { geoConicConformal } from 'd3-geo';
import { feature } from 'topojson-client';
import { describe, expect, it } from 'vitest';
import { makeMapData, simplify, toBaseMapFile } from '../../main/tools/make-map-data.js';
import { decodeBaseMap, type BaseMapFile } from '../../src/lib/map/base-map.js';
import { PARALLELS, ROTATE, conic, fitMap } from '../../src/lib/map/projection.js';

const file = JSON.parse(
  readFileSync(new URL('../../assets/map/far-east.topo.json', import.meta.url), 'utf8'),
) as BaseMapFile;
// Read the way the campaign map reads it.
const shipped = decodeBaseMap(file);
const fresh = makeMapData(file.scale as '10m');

/** Even-odd point in polygon over every ring of every landmass, in the map's plane. */
function onLand(lonLat: [number, number]): boolean {
  const [x, y] = conic(lonLat);
  let inside = false;
  for (const rings of shipped.land)
    for (const r of rings)
      for (let i = 0, j = r.length - 2; i < r.length; j = i, i += 2) {
        const [xi, yi, xj, yj] = [r[i]!, r[i + 1]!, r[j]!, r[j + 1]!];
        if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
      }
  return inside;
}

// Points well inside each landmass, from standard atlases.
const land: [string, [number, number]][] = [
  ['Harbin, Manchuria', [126.63, 45.75]],
  ['Ulaanbaatar, Mongolia', [106.9, 47.9]],
  ['Pyongyang, Korea', [125.75, 39.03]],
  ['northern Sakhalin', [142.9, 52.0]],
  ['southern Sakhalin (Yuzhno-Sakhalinsk)', [142.73, 46.96]],
  ['Iturup, Kuril Islands', [147.9, 45.1]],
  ['Kunashir, Kuril Islands', [145.85, 44.05]],
  ['Paramushir, Kuril Islands', [155.9, 50.35]],
  ['Hokkaido', [142.8, 43.4]],
  ['Honshu near Tokyo', [139.7, 35.7]],
  ['Kyushu', [130.7, 32.6]],
  ['Port Arthur peninsula (Lüshun)', [121.3, 38.85]],
];
const sea: [string, [number, number]][] = [
  ['Sea of Japan', [135, 40]],
  ['Sea of Okhotsk', [148, 53]],
  ['Pacific east of Honshu', [146, 36]],
  ['Yellow Sea', [123, 36]],
  ['Tatar Strait between Sakhalin and the mainland', [141.3, 49.5]],
];

describe('campaign map data (assets/map/far-east.topo.json)', () => {
  it('credits Natural Earth and is projected as the page projects', () => {
    expect(file.source).toMatch(/Natural Earth/);
    expect(file.projection).toEqual({ name: 'conicConformal', rotate: ROTATE, parallels: [...PARALLELS] });
  });

  it('is a TopoJSON topology any reader opens: quantised arcs, closed rings, every index in range', () => {
    expect(file.type).toBe('Topology');
    expect(Object.keys(file.objects).sort()).toEqual(['borders', 'graticule', 'land']);
    expect(file.objects.land.type).toBe('MultiPolygon');
    const used = [
      file.objects.land.arcs.flat(2),
      file.objects.borders.arcs.flat(),
      file.objects.graticule.arcs.flat(),
    ].flat();
    // Arc i read backwards is ~i; every reference names an arc that exists, and every arc is used once.
    const ids = used.map((i) => (i < 0 ? ~i : i)).sort((a, b) => a - b);
    expect(ids).toEqual(file.arcs.map((_, i) => i));
    for (const a of file.arcs) {
      expect(a.length).toBeGreaterThanOrEqual(2);
      for (const p of a) expect(p.every(Number.isInteger)).toBe(true);
    }
    // topojson-client, the reference reader, gives closed rings of at least four positions.
    for (const rings of feature(file, file.objects.land).geometry.coordinates)
      for (const r of rings) {
        expect(r.length).toBeGreaterThanOrEqual(4);
        expect(r[r.length - 1]).toEqual(r[0]);
      }
  });

  // Land and sea are checked where the page's own projection puts the point: the two agree.
  it.each(land)('%s is on land', (_name, p) => expect(onLand(p)).toBe(true));
  it.each(sea)('%s is sea', (_name, p) => expect(onLand(p)).toBe(false));

  it('has country borders between Mongolia, China, Korea and Russia, and a graticule', () => {
    expect(shipped.borders.length).toBeGreaterThan(3);
    // The Russia-Mongolia border crosses 100E near 50.5N; some border vertex lies near there.
    const [bx, by] = conic([100, 51]);
    const near = shipped.borders.some((line) =>
      line.some((v, i) => i % 2 === 0 && Math.hypot(v - bx, line[i + 1]! - by) < 0.025),
    );
    expect(near).toBe(true);
    // Meridians 70..180 and parallels 20..70, every 10 degrees.
    expect(shipped.graticule.length).toBe(17);
  });

  it('matches what the generator produces today (regenerate with npx tsx main/tools/make-map-data.ts)', () => {
    expect(toBaseMapFile(fresh)).toEqual(file);
  });

  it.each([
    ['1080p landscape', { width: 1380, height: 880 }],
    ['4K', { width: 2860, height: 1900 }],
  ])(
    'every coastline and border point is drawn where d3-geo projects it, within 0.01 px (%s)',
    (_name, size) => {
      const pad = { top: 28, right: 28, bottom: 28, left: 28 };
      const fit = fitMap(size, pad);
      const ref = geoConicConformal()
        .rotate([-128, 0])
        .parallels([35, 55])
        .scale(fit.k)
        .translate([fit.x, fit.y]);
      // d3 adds points along curves; the source's own points must all be there, in order.
      const check = (source: number[][], drawn: number[]) => {
        let j = 0;
        for (const ll of source) {
          const [x, y] = ref(ll as [number, number])!;
          while (
            j < drawn.length &&
            Math.hypot(fit.x + fit.k * drawn[j]! - x, fit.y + fit.k * drawn[j + 1]! - y) > 0.01
          )
            j += 2;
          expect(j, `${ll} is drawn`).toBeLessThan(drawn.length);
        }
      };
      const rings = fresh.land.coordinates.flat();
      expect(shipped.land.flat().length).toBe(rings.length);
      // Rings are stored closed and read open: the page closes them with Z.
      rings.forEach((ring, i) => check(ring.slice(0, -1), shipped.land.flat()[i]!));
      expect(shipped.borders.length).toBe(fresh.borders.coordinates.length);
      fresh.borders.coordinates.forEach((line, i) => check(line, shipped.borders[i]!));
    },
  );
});

describe('a damaged base map file is refused whole, never drawn half or wrong', () => {
  const copy = () => structuredClone(file) as unknown as Record<string, any>;
  it.each<[string, (f: Record<string, any>) => unknown]>([
    ['null', () => null],
    ['another kind of file', (f) => ({ ...f, type: 'FeatureCollection' })],
    ['no arcs', (f) => ({ ...f, arcs: undefined })],
    [
      'no transform (read as unquantised, the whole map would turn to land)',
      (f) => ({ ...f, transform: undefined }),
    ],
    [
      'words in the transform (every point would be NaN)',
      (f) => ({ ...f, transform: { scale: ['a', 'b'], translate: [0, 0] } }),
    ],
    [
      'land as another geometry',
      (f) => ({ ...f, objects: { ...f.objects, land: { ...f.objects.land, type: 'Polygon' } } }),
    ],
    ['no borders', (f) => ({ ...f, objects: { ...f.objects, borders: undefined } })],
    [
      'words inside an arc (a landmass would vanish)',
      (f) => {
        f.arcs[3][2] = ['x', 'y'];
        return f;
      },
    ],
    [
      'three numbers for a point (every later coordinate would shift: all land)',
      (f) => {
        f.arcs[0][1] = [1, 2, 3];
        return f;
      },
    ],
    [
      'a huge number (a landmass would collapse to a wedge)',
      (f) => {
        f.arcs[0][1] = [1e300, 0];
        return f;
      },
    ],
    [
      'no land polygons',
      (f) => ({ ...f, objects: { ...f.objects, land: { type: 'MultiPolygon', arcs: [] } } }),
    ],
    [
      'a landmass with no ring',
      (f) => {
        f.objects.land.arcs[0] = [];
        return f;
      },
    ],
    [
      'no border lines',
      (f) => ({ ...f, objects: { ...f.objects, borders: { type: 'MultiLineString', arcs: [] } } }),
    ],
    [
      'a zero scale (every point at one spot)',
      (f) => ({ ...f, transform: { ...f.transform, scale: [0, 0] } }),
    ],
    [
      'a negative scale (the map mirrored)',
      (f) => ({ ...f, transform: { ...f.transform, scale: [-2.5e-6, 2.5e-6] } }),
    ],
    [
      'an arc index out of range',
      (f) => ({ ...f, objects: { ...f.objects, borders: { type: 'MultiLineString', arcs: [[99999]] } } }),
    ],
  ])('%s', (_what, damage) => {
    expect(() => decodeBaseMap(damage(copy()) as BaseMapFile)).toThrow();
  });

  it('while the file as shipped reads', () => {
    expect(() => decodeBaseMap(copy() as unknown as BaseMapFile)).not.toThrow();
  });
});

describe('simplify', () => {
  it('drops points within the tolerance and keeps corners', () => {
    const line = [
      [0, 0],
      [1, 0.001],
      [2, 0],
      [2, 5],
    ];
    expect(simplify(line, 0.01)).toEqual([
      [0, 0],
      [2, 0],
      [2, 5],
    ]);
  });
});
