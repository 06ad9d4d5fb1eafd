import { geoDistance } from 'd3-geo';
import { describe, expect, it } from 'vitest';
import { basePaths } from '../../src/lib/map/base-map.js';
import { arrowShape, placeLabels, scaleBar } from '../../src/lib/map/draw.js';
import { fitMap, kmPerPx, project } from '../../src/lib/map/projection.js';

const pad = { top: 20, right: 20, bottom: 20, left: 20 };

describe('arrowShape', () => {
  it('ends in a head whose tip is the last point and whose base is across the direction of travel', () => {
    const { line, head } = arrowShape(
      [
        { x: 0, y: 0 },
        { x: 100, y: 0 },
        { x: 200, y: 0 },
      ],
      10,
    );
    expect(line.startsWith('M0,0')).toBe(true);
    const pts = head.split(' ').map((p) => p.split(',').map(Number));
    expect(pts[0]).toEqual([200, 0]);
    // Base corners behind the tip, one either side of the line.
    expect(pts[1]![0]).toBeLessThan(200);
    expect(Math.sign(pts[1]![1]!)).toBe(-Math.sign(pts[2]![1]!));
    // The shaft stops inside the head so its cap never pokes out of the tip.
    const lastX = Number(
      line
        .trim()
        .split(/[ ,C]+/)
        .at(-2),
    );
    expect(lastX).toBeLessThan(200);
  });

  it('draws nothing for fewer than two distinct points', () => {
    expect(arrowShape([{ x: 5, y: 5 }], 10)).toEqual({ line: '', head: '' });
    expect(
      arrowShape(
        [
          { x: 5, y: 5 },
          { x: 5, y: 5 },
        ],
        10,
      ),
    ).toEqual({ line: '', head: '' });
  });
});

describe('scaleBar', () => {
  it('picks a round length that fits and shrinks it as the map zooms in', () => {
    const size = { width: 1380, height: 880 };
    const fit = fitMap(size, pad);
    const at = { x: 690, y: 440 };
    const one = scaleBar(kmPerPx(fit, at), 1, 220)!;
    const four = scaleBar(kmPerPx(fit, at), 4, 220)!;
    expect([10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000]).toContain(one.km);
    expect(one.px).toBeLessThanOrEqual(220);
    expect(one.px).toBeGreaterThan(80);
    expect(four.km).toBeLessThan(one.km);
    // The bar's length really is that many km on the ground, to within a few per cent.
    const invert = (x: number) => {
      // Walk along the view's middle row to find the lon/lat under x (the page has no inverse).
      const ll = (lon: number, lat: number) => project(fit, [lon, lat]);
      let lon = 128;
      let lat = 45;
      for (let i = 0; i < 60; i++) {
        const p = ll(lon, lat);
        const dx = ll(lon + 0.01, lat);
        const dy = ll(lon, lat + 0.01);
        const [a, b, c, d] = [
          (dx.x - p.x) / 0.01,
          (dy.x - p.x) / 0.01,
          (dx.y - p.y) / 0.01,
          (dy.y - p.y) / 0.01,
        ];
        const [ex, ey] = [x - p.x, at.y - p.y];
        const det = a * d - b * c;
        lon += (d * ex - b * ey) / det;
        lat += (a * ey - c * ex) / det;
      }
      return [lon, lat] as [number, number];
    };
    const km = (geoDistance(invert(at.x - one.px / 2), invert(at.x + one.px / 2)) * 6371) / one.km;
    expect(km).toBeCloseTo(1, 2);
  });
});

describe('basePaths', () => {
  const fit = { k: 1, x: 0, y: 0 };
  const rect: [number, number, number, number] = [0, 0, 100, 100];
  const square = (x0: number, y0: number, s: number) => [x0, y0, x0 + s, y0, x0 + s, y0 + s, x0, y0 + s];

  it('cuts a landmass that sticks out of the view to the view, closed, and drops one wholly outside', () => {
    const { land } = basePaths(
      {
        land: [[square(50, 50, 100)], [square(200, 200, 10)], [square(10, 10, 20)]],
        borders: [],
        graticule: [],
      },
      fit,
      rect,
    );
    expect(land).toHaveLength(2);
    const pts = land[0]!.match(/-?[\d.]+,-?[\d.]+/g)!.map((p) => p.split(',').map(Number));
    expect(land[0]!.endsWith('Z')).toBe(true);
    for (const [x, y] of pts) {
      expect(x).toBeGreaterThanOrEqual(50);
      expect(x).toBeLessThanOrEqual(100);
      expect(y).toBeGreaterThanOrEqual(50);
      expect(y).toBeLessThanOrEqual(100);
    }
    expect(new Set(pts.map((p) => p.join()))).toEqual(new Set(['50,50', '100,50', '100,100', '50,100']));
    expect(land[1]).toBe('M10,10L30,10L30,30L10,30Z');
  });

  it('scales plane points to the view and cuts lines where they cross its edge', () => {
    const { borders, graticule } = basePaths(
      {
        land: [],
        borders: [[-1, 0.5, 0.5, 0.5, 0.5, 2, 0.25, 2]],
        graticule: [[0.1, 0.1, 0.2, 0.2]],
      },
      { k: 100, x: 10, y: 0 },
      rect,
    );
    // In from the left edge, down to the bottom edge; the part beyond is left out.
    expect(borders).toBe('M0,50L60,50L60,100');
    expect(graticule).toBe('M20,10L30,20');
  });

  it('starts a new run where a line comes back into view', () => {
    const { borders } = basePaths(
      { land: [], borders: [[50, 50, 50, 150, 60, 150, 60, 50]], graticule: [] },
      fit,
      rect,
    );
    expect(borders).toBe('M50,50L50,100M60,100L60,50');
  });
});

describe('placeLabels', () => {
  it('moves a label away from a neighbour rather than printing one name over another', () => {
    const placed = placeLabels([
      { id: 'dalian', x: 100, y: 100, width: 150, height: 30, centred: false },
      { id: 'port-arthur', x: 96, y: 104, width: 150, height: 30, centred: false },
    ]);
    const [a, b] = placed;
    const overlap =
      a!.x < b!.x + b!.width && b!.x < a!.x + a!.width && a!.y < b!.y + b!.height && b!.y < a!.y + a!.height;
    expect(overlap).toBe(false);
  });

  it('keeps region names centred on their point when there is room', () => {
    const [r] = placeLabels([{ id: 'manchuria', x: 500, y: 300, width: 200, height: 30, centred: true }]);
    expect(r).toMatchObject({ x: 400, y: 285, anchor: 'middle' });
  });
});
