import { readFileSync } from 'node:fs';
import { geoContains } from 'd3-geo';
import { describe, expect, it } from 'vitest';
import type { MapData, MapTopology } from '../../main/tools/make-map-data.js';
import { makeMapData, simplify, toTopology } from '../../main/tools/make-map-data.js';
import { decodeMap } from '../../src/lib/map/topo.js';

const file = JSON.parse(
  readFileSync(new URL('../../assets/map/far-east.topo.json', import.meta.url), 'utf8'),
) as MapTopology;
// Read the way the campaign map reads it.
const shipped = decodeMap(file);

const onLand = (data: MapData, lonLat: [number, number]) =>
  geoContains({ type: 'Feature', properties: {}, geometry: data.land }, lonLat);

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
  it('credits Natural Earth and is clipped to the Far East', () => {
    expect(shipped.source).toMatch(/Natural Earth/);
    for (const poly of shipped.land.coordinates)
      for (const ring of poly)
        for (const [lon, lat] of ring) {
          expect(lon).toBeGreaterThanOrEqual(shipped.extent[0][0]);
          expect(lon).toBeLessThanOrEqual(shipped.extent[1][0]);
          expect(lat).toBeGreaterThanOrEqual(shipped.extent[0][1]);
          expect(lat).toBeLessThanOrEqual(shipped.extent[1][1]);
        }
  });

  it.each(land)('%s is on land', (_name, p) => expect(onLand(shipped, p)).toBe(true));
  it.each(sea)('%s is sea', (_name, p) => expect(onLand(shipped, p)).toBe(false));

  it('has country borders between Mongolia, China, Korea and Russia', () => {
    expect(shipped.borders.coordinates.length).toBeGreaterThan(3);
    // The Russia-Mongolia border crosses 100E near 50.5N; some border vertex lies near there.
    const near = shipped.borders.coordinates.some((line) =>
      line.some(([lon, lat]) => Math.abs(lon! - 100) < 1.5 && Math.abs(lat! - 51) < 1.5),
    );
    expect(near).toBe(true);
  });

  it('matches what the generator produces today (regenerate with npx tsx main/tools/make-map-data.ts)', () => {
    const fresh = makeMapData(shipped.scale as '10m');
    expect(toTopology(fresh)).toEqual(file);
  });

  it('decodes to the very points the generator clipped (TopoJSON loses nothing on screen)', () => {
    const fresh = makeMapData(shipped.scale as '10m');
    const flat = (d: MapData) => [d.land.coordinates.flat(3), d.borders.coordinates.flat(2)].flat();
    const a = flat(fresh);
    const b = flat(shipped);
    expect(b.length).toBe(a.length);
    // Well under a millimetre on the ground; the on-screen paths print to 0.1 px.
    expect(Math.max(...a.map((v, i) => Math.abs(v - b[i]!)))).toBeLessThan(1e-9);
    expect(shipped.extent).toEqual(fresh.extent);
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
