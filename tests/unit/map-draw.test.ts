import { geoDistance } from 'd3-geo';
import { describe, expect, it } from 'vitest';
import { arrowShape, FOCUS, fitProjection, placeLabels, scaleBar } from '../../src/lib/map/draw.js';

const pad = { top: 20, right: 20, bottom: 20, left: 20 };

describe('fitProjection', () => {
  it.each([
    ['landscape', { width: 1380, height: 880 }],
    ['portrait', { width: 1080, height: 900 }],
  ])('keeps every named place of the campaign inside a %s view', (_name, size) => {
    const proj = fitProjection(size, pad);
    const places: [number, number][] = [
      [108, 53.5], // Lake Baikal
      [131.89, 43.12], // Vladivostok
      [121.26, 38.81], // Port Arthur
      [139.8, 35.45], // Tokyo Bay
      [156.4, 50.7], // northern Kurils
      [142.8, 50.5], // Sakhalin
      [FOCUS[0][0], FOCUS[0][1]],
      [FOCUS[1][0], FOCUS[1][1]],
    ];
    for (const p of places) {
      const [x, y] = proj(p)!;
      expect(x).toBeGreaterThanOrEqual(pad.left - 0.5);
      expect(x).toBeLessThanOrEqual(size.width - pad.right + 0.5);
      expect(y).toBeGreaterThanOrEqual(pad.top - 0.5);
      expect(y).toBeLessThanOrEqual(size.height - pad.bottom + 0.5);
    }
    // North is up: Harbin sits above Port Arthur.
    expect(proj([126.63, 45.75])![1]).toBeLessThan(proj([121.26, 38.81])![1]);
  });
});

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
    const proj = fitProjection({ width: 1380, height: 880 }, pad);
    const invert = (p: [number, number]) => proj.invert!(p);
    const at = { x: 690, y: 440 };
    const one = scaleBar(invert, at, 1, 220)!;
    const four = scaleBar(invert, at, 4, 220)!;
    expect([10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000]).toContain(one.km);
    expect(one.px).toBeLessThanOrEqual(220);
    expect(four.km).toBeLessThan(one.km);
    // The bar's length really is that many km on the ground, to within a few per cent.
    const a = proj.invert!([at.x - one.px / 2, at.y])!;
    const b = proj.invert!([at.x + one.px / 2, at.y])!;
    expect((geoDistance(a, b) * 6371) / one.km).toBeCloseTo(1, 1);
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
