/**
 * The hidden gesture that opens the staff panel: press and hold the top-left
 * corner for three seconds, let go, then tap the top-right corner within five
 * seconds. Visitors do not hold a blank corner still for three seconds and then
 * reach across the whole screen, so it never opens by accident. Pure: it is fed
 * pointer events with their times and says when the gesture is complete.
 */

/** Size of each corner's hot square, in CSS pixels. */
export const CORNER_PX = 140;
/** How long the top-left corner must be held. */
export const HOLD_MS = 3000;
/** How long after the hold the top-right tap may come. */
export const TAP_WITHIN_MS = 5000;
/** A hold that wanders further than this is a swipe, not a hold. */
const MOVE_TOLERANCE_PX = 40;

type Phase =
  | { kind: 'idle' }
  | { kind: 'holding'; id: number; x: number; y: number; since: number }
  | { kind: 'armed'; until: number };

/** Tracks the staff gesture across pointer events. */
export class StaffGesture {
  #phase: Phase = { kind: 'idle' };

  constructor(private readonly viewportWidth: () => number) {}

  /** True once the corner has been held long enough and the tap may follow. */
  get armed(): boolean {
    return this.#phase.kind === 'armed';
  }

  /** A finger went down. Returns true when this completes the gesture. */
  down(id: number, x: number, y: number, at: number): boolean {
    const p = this.#phase;
    if (p.kind === 'armed') {
      this.#phase = { kind: 'idle' };
      if (at <= p.until && x >= this.viewportWidth() - CORNER_PX && y <= CORNER_PX) return true;
    }
    if (x <= CORNER_PX && y <= CORNER_PX) this.#phase = { kind: 'holding', id, x, y, since: at };
    else if (this.#phase.kind === 'holding') this.#phase = { kind: 'idle' };
    return false;
  }

  /** A finger moved; a hold that moves too far is cancelled. */
  move(id: number, x: number, y: number): void {
    const p = this.#phase;
    if (p.kind === 'holding' && p.id === id && Math.hypot(x - p.x, y - p.y) > MOVE_TOLERANCE_PX) {
      this.#phase = { kind: 'idle' };
    }
  }

  /** A finger lifted: a long enough hold arms the second step. */
  up(id: number, at: number): void {
    const p = this.#phase;
    if (p.kind !== 'holding' || p.id !== id) return;
    this.#phase = at - p.since >= HOLD_MS ? { kind: 'armed', until: at + TAP_WITHIN_MS } : { kind: 'idle' };
  }

  cancel(): void {
    this.#phase = { kind: 'idle' };
  }
}
