/** The hidden gesture that opens the staff panel: hold the top-left corner 3 s, then tap the top-right. */
import { describe, expect, it } from 'vitest';
import { CORNER_PX, HOLD_MS, StaffGesture, TAP_WITHIN_MS } from '../../src/lib/staff/gesture.js';

const W = 1920;
const make = () => new StaffGesture(() => W);

describe('staff gesture', () => {
  it('opens after a 3 s hold in the top-left corner and a tap in the top-right', () => {
    const g = make();
    expect(g.down(1, 20, 20, 0)).toBe(false);
    g.up(1, HOLD_MS + 10);
    expect(g.armed).toBe(true);
    expect(g.down(2, W - 20, 30, HOLD_MS + 500)).toBe(true);
  });

  it('does not open for a short press, a far tap, a late tap or a hold that slides', () => {
    const short = make();
    short.down(1, 20, 20, 0);
    short.up(1, HOLD_MS - 100);
    expect(short.down(2, W - 20, 20, HOLD_MS)).toBe(false);

    const far = make();
    far.down(1, 20, 20, 0);
    far.up(1, HOLD_MS);
    expect(far.down(2, W / 2, 20, HOLD_MS + 100)).toBe(false);
    // The chance is spent: the right corner alone now does nothing.
    expect(far.down(3, W - 20, 20, HOLD_MS + 200)).toBe(false);

    const late = make();
    late.down(1, 20, 20, 0);
    late.up(1, HOLD_MS);
    expect(late.down(2, W - 20, 20, HOLD_MS + TAP_WITHIN_MS + 1)).toBe(false);

    const slid = make();
    slid.down(1, 20, 20, 0);
    slid.move(1, 20 + CORNER_PX, 20);
    slid.up(1, HOLD_MS + 10);
    expect(slid.armed).toBe(false);
  });

  it('ignores a hold that starts outside the corner', () => {
    const g = make();
    g.down(1, CORNER_PX + 10, 20, 0);
    g.up(1, HOLD_MS + 10);
    expect(g.armed).toBe(false);
  });
});
