import { describe, expect, it } from 'vitest';
import {
  classifyTrack,
  clampPan,
  containSize,
  isDoubleTap,
  pinchGeometry,
  pinchTransform,
  zoomAbout,
  type TrackPoint,
} from '../../src/lib/gestures.js';

/** A straight track from (x0,y0) to (x1,y1) over `ms`, sampled every 16 ms. */
function line(x0: number, y0: number, x1: number, y1: number, ms: number): TrackPoint[] {
  const n = Math.max(1, Math.round(ms / 16));
  return Array.from({ length: n + 1 }, (_, i) => ({
    x: x0 + ((x1 - x0) * i) / n,
    y: y0 + ((y1 - y0) * i) / n,
    t: (ms * i) / n,
  }));
}

describe('classifyTrack', () => {
  it('reads a short, still touch as a tap', () => {
    expect(classifyTrack(line(100, 100, 104, 103, 120))).toEqual({ kind: 'tap', x: 104, y: 103 });
  });

  it('does not read a long still press as a tap', () => {
    expect(classifyTrack(line(100, 100, 100, 100, 900)).kind).toBe('none');
  });

  it('reads a quick horizontal flick as a swipe in its direction', () => {
    const left = classifyTrack(line(600, 400, 400, 410, 150));
    expect(left).toMatchObject({ kind: 'swipe', direction: 'left' });
    const right = classifyTrack(line(400, 400, 600, 395, 150));
    expect(right).toMatchObject({ kind: 'swipe', direction: 'right' });
  });

  it('reads a slow but long drag as a swipe, and a slow short one as nothing', () => {
    expect(classifyTrack(line(800, 400, 500, 400, 2000))).toMatchObject({ kind: 'swipe', direction: 'left' });
    expect(classifyTrack(line(800, 400, 720, 400, 2000)).kind).toBe('none');
  });

  it('refuses a diagonal, which is neither a page turn nor a scroll', () => {
    expect(classifyTrack(line(400, 400, 600, 560, 150)).kind).toBe('none');
  });

  it('classifies a vertical flick as up or down, which a chapter leaves to scrolling', () => {
    expect(classifyTrack(line(400, 600, 405, 300, 150))).toMatchObject({ kind: 'swipe', direction: 'up' });
  });

  it('does not count a drag that came back before release', () => {
    const out = line(400, 400, 650, 400, 200);
    const back = line(650, 400, 490, 400, 150).map((p) => ({ ...p, t: p.t + 200 }));
    expect(classifyTrack([...out, ...back.slice(1)]).kind).toBe('none');
  });

  it('handles an empty track', () => {
    expect(classifyTrack([]).kind).toBe('none');
  });
});

describe('isDoubleTap', () => {
  it('pairs two taps close in time and place', () => {
    expect(isDoubleTap({ x: 10, y: 10, t: 0 }, { x: 20, y: 15, t: 250 })).toBe(true);
  });
  it('rejects taps too far apart in time or space, or with no first tap', () => {
    expect(isDoubleTap({ x: 10, y: 10, t: 0 }, { x: 10, y: 10, t: 900 })).toBe(false);
    expect(isDoubleTap({ x: 10, y: 10, t: 0 }, { x: 200, y: 10, t: 100 })).toBe(false);
    expect(isDoubleTap(undefined, { x: 10, y: 10, t: 100 })).toBe(false);
  });
});

describe('pinch and zoom', () => {
  it('measures the midpoint and spread of two fingers', () => {
    expect(pinchGeometry({ x: 0, y: 0 }, { x: 30, y: 40 })).toEqual({
      centre: { x: 15, y: 20 },
      distance: 50,
    });
  });

  it('keeps the point under the fingers fixed while zooming', () => {
    const start = { scale: 1, x: 0, y: 0 };
    const t = pinchTransform(
      start,
      [
        { x: 50, y: 0 },
        { x: 150, y: 0 },
      ],
      [
        { x: 0, y: 0 },
        { x: 200, y: 0 },
      ],
      {
        min: 1,
        max: 5,
      },
    );
    expect(t.scale).toBe(2);
    // Content point at x=100 (under the midpoint) stays at screen x=100.
    expect(100 * t.scale + t.x).toBeCloseTo(100);
    expect(t.y).toBeCloseTo(0);
  });

  it('moves with the fingers when they travel together', () => {
    const t = pinchTransform(
      { scale: 2, x: 0, y: 0 },
      [
        { x: -50, y: 0 },
        { x: 50, y: 0 },
      ],
      [
        { x: -20, y: 30 },
        { x: 80, y: 30 },
      ],
      { min: 1, max: 5 },
    );
    expect(t).toEqual({ scale: 2, x: 30, y: 30 });
  });

  it('limits the zoom', () => {
    const fingers = [
      { x: -10, y: 0 },
      { x: 10, y: 0 },
    ] as [{ x: number; y: number }, { x: number; y: number }];
    const wide = [
      { x: -500, y: 0 },
      { x: 500, y: 0 },
    ] as typeof fingers;
    expect(pinchTransform({ scale: 1, x: 0, y: 0 }, fingers, wide, { min: 1, max: 4 }).scale).toBe(4);
    expect(pinchTransform({ scale: 1, x: 0, y: 0 }, wide, fingers, { min: 0.8, max: 4 }).scale).toBe(0.8);
  });

  it('zooms about a tapped point', () => {
    const t = zoomAbout({ scale: 1, x: 0, y: 0 }, { x: 100, y: -50 }, 2.5);
    expect(t.scale).toBe(2.5);
    expect(100 * 2.5 + t.x).toBeCloseTo(100);
    expect(-50 * 2.5 + t.y).toBeCloseTo(-50);
  });
});

describe('clampPan', () => {
  const content = { width: 800, height: 600 };
  const view = { width: 1000, height: 700 };

  it('centres content that is smaller than the view', () => {
    expect(clampPan({ scale: 1, x: 300, y: -200 }, content, view)).toEqual({ scale: 1, x: 0, y: 0 });
  });

  it('lets zoomed content pan only until an edge meets the view edge', () => {
    // At 2x: 1600x1200 in 1000x700 leaves 300 px slack each side horizontally, 250 vertically.
    expect(clampPan({ scale: 2, x: 900, y: -900 }, content, view)).toEqual({ scale: 2, x: 300, y: -250 });
    expect(clampPan({ scale: 2, x: 120, y: 40 }, content, view)).toEqual({ scale: 2, x: 120, y: 40 });
  });
});

describe('containSize', () => {
  it('fits without cropping, by the tighter side', () => {
    expect(containSize({ width: 4000, height: 3000 }, { width: 1000, height: 1000 })).toEqual({
      width: 1000,
      height: 750,
    });
    expect(containSize({ width: 1000, height: 3000 }, { width: 1000, height: 1000 }).height).toBe(1000);
  });
  it('fills the view when the natural size is unknown', () => {
    expect(containSize({ width: 0, height: 0 }, { width: 10, height: 20 })).toEqual({
      width: 10,
      height: 20,
    });
  });
});
