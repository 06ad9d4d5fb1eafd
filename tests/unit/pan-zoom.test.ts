import { describe, expect, it } from 'vitest';
import { PanZoom, toContent, toScreen } from '../../src/lib/pan-zoom.js';

const view = { width: 1000, height: 600 };

describe('toScreen / toContent', () => {
  it('are inverses and the identity leaves points alone', () => {
    const t = { scale: 3, x: -120, y: 40 };
    const p = { x: 230, y: 410 };
    const back = toContent(t, view, toScreen(t, view, p));
    expect(back.x).toBeCloseTo(p.x);
    expect(back.y).toBeCloseTo(p.y);
    expect(toScreen({ scale: 1, x: 0, y: 0 }, view, p)).toEqual(p);
  });
});

describe('PanZoom', () => {
  it('pinch-zooms about the fingers: the place between them stays under them', () => {
    const pz = new PanZoom(view);
    const under = toContent(pz.transform, view, { x: 600, y: 300 });
    pz.down(1, { x: 550, y: 300 }, 0);
    pz.down(2, { x: 650, y: 300 }, 5);
    const t = pz.move(2, { x: 850, y: 300 });
    pz.move(1, { x: 350, y: 300 });
    expect(pz.transform.scale).toBeCloseTo(5);
    const mid = toScreen(pz.transform, view, under);
    expect(mid.x).toBeCloseTo(600);
    expect(mid.y).toBeCloseTo(300);
    expect(t.scale).toBeGreaterThan(1);
  });

  it('never zooms past its limits', () => {
    const pz = new PanZoom(view, { maxScale: 4 });
    pz.down(1, { x: 490, y: 300 }, 0);
    pz.down(2, { x: 510, y: 300 }, 0);
    pz.move(2, { x: 990, y: 300 });
    expect(pz.transform.scale).toBe(4);
    pz.move(2, { x: 495, y: 300 });
    pz.move(1, { x: 500, y: 300 });
    expect(pz.transform.scale).toBe(1);
  });

  it('pans with one finger once zoomed, but never shows a gap at an edge', () => {
    const pz = new PanZoom(view);
    expect(pz.pointers).toBe(0);
    pz.zoomBy(2);
    pz.down(1, { x: 500, y: 300 }, 0);
    pz.move(1, { x: 600, y: 250 });
    expect(pz.transform).toMatchObject({ scale: 2, x: 100, y: -50 });
    pz.move(1, { x: 5000, y: 300 });
    // At 2x the map is 2000 wide in a 1000 view: at most 500 px of slack either side.
    expect(pz.transform.x).toBe(500);
    expect(pz.up(1, { x: 5000, y: 300 }, 100)).toEqual({ kind: 'none' });
  });

  it('does not pan the whole map when not zoomed', () => {
    const pz = new PanZoom(view);
    pz.down(1, { x: 500, y: 300 }, 0);
    pz.move(1, { x: 700, y: 400 });
    expect(pz.transform).toEqual({ scale: 1, x: 0, y: 0 });
  });

  it('reports a still, short touch as a tap and two quick taps as a double tap that zooms in there', () => {
    const pz = new PanZoom(view);
    pz.down(1, { x: 800, y: 100 }, 0);
    expect(pz.up(1, { x: 803, y: 102 }, 80)).toEqual({ kind: 'tap', x: 803, y: 102 });
    const under = toContent(pz.transform, view, { x: 800, y: 100 });
    pz.down(2, { x: 800, y: 100 }, 200);
    expect(pz.up(2, { x: 800, y: 100 }, 260)).toEqual({ kind: 'double-tap' });
    expect(pz.transform.scale).toBe(2);
    const s = toScreen(pz.transform, view, under);
    expect(s.x).toBeCloseTo(800);
    expect(s.y).toBeCloseTo(100);
  });

  it('a double tap when already deep goes back to the whole map', () => {
    const pz = new PanZoom(view, { maxScale: 4 });
    pz.zoomBy(4);
    pz.down(1, { x: 500, y: 300 }, 0);
    pz.up(1, { x: 500, y: 300 }, 50);
    pz.down(1, { x: 500, y: 300 }, 150);
    expect(pz.up(1, { x: 500, y: 300 }, 200)).toEqual({ kind: 'double-tap' });
    expect(pz.transform).toEqual({ scale: 1, x: 0, y: 0 });
  });

  it('a drag or a pinch is never a tap', () => {
    const pz = new PanZoom(view);
    pz.down(1, { x: 100, y: 100 }, 0);
    pz.move(1, { x: 160, y: 100 }, 50);
    expect(pz.up(1, { x: 160, y: 100 }, 100).kind).not.toMatch(/tap/);
    pz.down(1, { x: 100, y: 100 }, 1000);
    pz.down(2, { x: 200, y: 100 }, 1000);
    pz.up(2, { x: 200, y: 100 }, 1050);
    expect(pz.up(1, { x: 100, y: 100 }, 1060).kind).toBe('none');
  });

  it('keeps panning smoothly with the remaining finger after a pinch', () => {
    const pz = new PanZoom(view);
    pz.down(1, { x: 400, y: 300 }, 0);
    pz.down(2, { x: 600, y: 300 }, 0);
    pz.move(2, { x: 800, y: 300 });
    const after = { ...pz.transform };
    pz.up(2, { x: 800, y: 300 }, 100);
    // No jump when a finger lifts: the next move continues from here.
    pz.move(1, { x: 410, y: 300 });
    expect(pz.transform.x).toBeCloseTo(after.x + 10);
  });

  it('stays within bounds when the view shrinks (rotation)', () => {
    const pz = new PanZoom(view);
    pz.zoomBy(2, { x: 0, y: 0 });
    const t = pz.setView({ width: 400, height: 600 });
    expect(Math.abs(t.x)).toBeLessThanOrEqual(200);
    expect(pz.reset()).toEqual({ scale: 1, x: 0, y: 0 });
  });

  describe('as the image viewer uses it: a picture fitted inside the view', () => {
    const screen = { width: 1840, height: 812 };
    const picture = { width: 1218, height: 812 };
    const viewer = () => {
      const pz = new PanZoom(screen, {
        maxScale: 5,
        pinchMinScale: 0.8,
        settleBelow: 1.05,
        doubleTapFactor: 2.5,
        zoomOutAbove: 1.05,
      });
      pz.setView(screen, picture);
      return pz;
    };

    it('pans only as far as the zoomed picture reaches, and keeps it centred while it fits', () => {
      const pz = viewer();
      pz.down(1, { x: 900, y: 400 }, 0);
      pz.move(1, { x: 1400, y: 400 }, 300);
      expect(pz.transform).toEqual({ scale: 1, x: 0, y: 0 });
      pz.up(1, { x: 1400, y: 400 }, 1000);
      pz.zoomBy(3);
      pz.down(1, { x: 900, y: 400 }, 2000);
      pz.move(1, { x: 5000, y: 5000 }, 2300);
      // 1218 × 3 = 3654 wide in 1840: 907 px either side; 812 × 3 = 2436 high in 812: 812.
      expect(pz.transform.x).toBeCloseTo((1218 * 3 - 1840) / 2);
      expect(pz.transform.y).toBeCloseTo((812 * 3 - 812) / 2);
    });

    it('lets a pinch overshoot below the whole picture, then springs back when the fingers lift', () => {
      const pz = viewer();
      pz.down(1, { x: 700, y: 400 }, 0);
      pz.down(2, { x: 1100, y: 400 }, 0);
      pz.move(1, { x: 850, y: 400 }, 50);
      pz.move(2, { x: 950, y: 400 }, 60);
      expect(pz.transform.scale).toBe(0.8);
      pz.up(1, { x: 850, y: 400 }, 100);
      expect(pz.transform.scale).toBe(0.8);
      pz.up(2, { x: 950, y: 400 }, 110);
      expect(pz.transform).toEqual({ scale: 1, x: 0, y: 0 });
    });

    it('pinches up to its maximum and no further', () => {
      const pz = viewer();
      pz.down(1, { x: 880, y: 400 }, 0);
      pz.down(2, { x: 960, y: 400 }, 0);
      pz.move(1, { x: 100, y: 400 }, 50);
      pz.move(2, { x: 1800, y: 400 }, 60);
      expect(pz.transform.scale).toBe(5);
      pz.up(1, { x: 100, y: 400 }, 100);
      pz.up(2, { x: 1800, y: 400 }, 110);
      expect(pz.transform.scale).toBe(5);
    });

    it('a double tap zooms to 2.5× there, and a second double tap back to the whole picture', () => {
      const pz = viewer();
      const doubleTap = (at: number) => {
        pz.down(1, { x: 1200, y: 300 }, at);
        pz.up(1, { x: 1200, y: 300 }, at + 40);
        pz.down(1, { x: 1200, y: 300 }, at + 150);
        return pz.up(1, { x: 1200, y: 300 }, at + 190);
      };
      expect(doubleTap(0)).toEqual({ kind: 'double-tap' });
      expect(pz.transform.scale).toBe(2.5);
      expect(pz.transform.x).toBeLessThan(0);
      expect(doubleTap(2000)).toEqual({ kind: 'double-tap' });
      expect(pz.transform).toEqual({ scale: 1, x: 0, y: 0 });
    });

    it('a flick turns the page only while the picture is whole; zoomed, the same flick pans', () => {
      const pz = viewer();
      pz.down(1, { x: 1200, y: 400 }, 0);
      pz.move(1, { x: 1000, y: 405 }, 60);
      expect(pz.up(1, { x: 900, y: 405 }, 100)).toEqual({ kind: 'swipe', direction: 'left' });
      pz.zoomBy(2);
      pz.down(1, { x: 1200, y: 400 }, 1000);
      pz.move(1, { x: 1000, y: 405 }, 1060);
      expect(pz.up(1, { x: 900, y: 405 }, 1100)).toEqual({ kind: 'none' });
      expect(pz.transform.x).toBeLessThan(0);
    });
  });
});
