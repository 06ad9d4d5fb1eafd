/**
 * Touch pan and zoom as pure state, the one pointer machine of every zoomable
 * view (the image viewer and the campaign map): feed it pointer downs, moves
 * and ups (view px, top-left origin) and it returns the view transform and
 * what a lifted finger amounted to (a tap, a double tap or a swipe). The
 * pinch/pan math itself is in `gestures.ts`.
 */
import {
  SWIPE_DEFAULTS,
  clampPan,
  classifyTrack,
  isDoubleTap,
  pinchTransform,
  zoomAbout,
  type Point,
  type Size,
  type TrackPoint,
  type ViewTransform,
} from './gestures';

export type { Point, Size, ViewTransform };

/** Limits and thresholds for {@link PanZoom}. */
export interface PanZoomOptions {
  minScale: number;
  maxScale: number;
  /**
   * How far below `minScale` a pinch may go while the fingers are down (a rubber band); when
   * the last finger lifts, anything under `settleBelow` springs back to the whole view.
   */
  pinchMinScale: number;
  /** Scale under which the view springs back to whole when the fingers lift (0: never). */
  settleBelow: number;
  /** Factor a double tap zooms in by. */
  doubleTapFactor: number;
  /** A double tap above this scale zooms back out to the whole view (default: once it cannot zoom in fully). */
  zoomOutAbove?: number;
  /** Largest movement (px) that still counts as a tap. */
  tapSlop: number;
  /** Longest press (ms) that still counts as a tap. */
  tapMaxMs: number;
}

/** Defaults for a 1080p touch screen. */
const PAN_ZOOM_DEFAULTS: PanZoomOptions = {
  minScale: 1,
  maxScale: 8,
  pinchMinScale: 1,
  settleBelow: 0,
  doubleTapFactor: 2,
  tapSlop: 12,
  tapMaxMs: 500,
};

/** The identity transform: the whole map, unzoomed. */
export const IDENTITY: ViewTransform = { scale: 1, x: 0, y: 0 };

/** Where content point `p` (unzoomed view px) appears on screen under `t`. */
export function toScreen(t: ViewTransform, view: Size, p: Point): Point {
  const cx = view.width / 2;
  const cy = view.height / 2;
  return { x: cx + (p.x - cx) * t.scale + t.x, y: cy + (p.y - cy) * t.scale + t.y };
}

/** The content point (unzoomed view px) under screen point `p`: the inverse of {@link toScreen}. */
export function toContent(t: ViewTransform, view: Size, p: Point): Point {
  const cx = view.width / 2;
  const cy = view.height / 2;
  return { x: cx + (p.x - cx - t.x) / t.scale, y: cy + (p.y - cy - t.y) / t.scale };
}

/** What a lifted finger amounted to; a swipe only on the unzoomed view (a zoomed one pans). */
export type GestureEnd =
  | { kind: 'tap'; x: number; y: number }
  | { kind: 'double-tap' }
  | { kind: 'swipe'; direction: 'left' | 'right' | 'up' | 'down' }
  | { kind: 'none' };

/**
 * Pointer-driven pan and zoom. One finger pans, two fingers pinch (zoom about
 * their midpoint and move with it), a double tap zooms in by
 * `doubleTapFactor` (or back out when already zoomed in), and the content
 * never leaves a gap at the view's edges (centred while smaller than the view).
 */
export class PanZoom {
  transform: ViewTransform = IDENTITY;
  #view: Size;
  #content: Size | undefined;
  #opts: PanZoomOptions;
  #pointers = new Map<number, Point>();
  #start: ViewTransform = IDENTITY;
  #startPoints: Point[] = [];
  #track: TrackPoint[] = [];
  #multi = false;
  #lastTap: TrackPoint | undefined;

  constructor(view: Size, opts: Partial<PanZoomOptions> = {}) {
    this.#view = view;
    this.#opts = { ...PAN_ZOOM_DEFAULTS, ...opts };
  }

  /**
   * Tells the gesture the view's new size (on resize or rotation) and, when it differs from the
   * view, the unzoomed size of the content centred in it; keeps the transform valid.
   */
  setView(view: Size, content?: Size): ViewTransform {
    this.#view = view;
    this.#content = content;
    return (this.transform = this.#clamp(this.transform));
  }

  /** Fingers currently down. */
  get pointers(): number {
    return this.#pointers.size;
  }

  /** A finger (or mouse button) went down at `p`, view px. */
  down(id: number, p: Point, t: number): void {
    this.#pointers.set(id, this.#rel(p));
    if (this.#pointers.size === 1) {
      this.#track = [{ ...p, t }];
      this.#multi = false;
    } else {
      this.#multi = true;
    }
    this.#rebase();
  }

  /** A finger moved at time `t` (ms); returns the new transform. */
  move(id: number, p: Point, t = this.#track.at(-1)?.t ?? 0): ViewTransform {
    if (!this.#pointers.has(id)) return this.transform;
    this.#pointers.set(id, this.#rel(p));
    if (this.#pointers.size === 1 && !this.#multi) this.#track.push({ ...p, t });
    const now = [...this.#pointers.values()];
    if (now.length >= 2 && this.#startPoints.length >= 2) {
      const next = pinchTransform(
        this.#start,
        [this.#startPoints[0]!, this.#startPoints[1]!],
        [now[0]!, now[1]!],
        { min: Math.min(this.#opts.pinchMinScale, this.#opts.minScale), max: this.#opts.maxScale },
      );
      this.transform = this.#clamp(next);
    } else if (now.length === 1 && this.#startPoints.length === 1) {
      const s = this.#startPoints[0]!;
      const n = now[0]!;
      this.transform = this.#clamp({
        ...this.#start,
        x: this.#start.x + n.x - s.x,
        y: this.#start.y + n.y - s.y,
      });
    }
    return this.transform;
  }

  /**
   * A finger lifted (or was cancelled) at `p`, time `t`; says whether the gesture was a tap,
   * a double tap or a swipe. When the last finger lifts a rubber-banded zoom settles.
   */
  up(id: number, p: Point, t: number, cancelled = false): GestureEnd {
    if (!this.#pointers.delete(id)) return { kind: 'none' };
    this.#rebase();
    if (this.#pointers.size > 0) return { kind: 'none' };
    if (this.transform.scale < Math.max(this.#opts.settleBelow, this.#opts.minScale)) this.reset();
    const track = this.#track;
    this.#track = [];
    if (cancelled || this.#multi || track.length === 0) return { kind: 'none' };
    const kind = classifyTrack([...track, { ...p, t }], {
      ...SWIPE_DEFAULTS,
      tapSlop: this.#opts.tapSlop,
      tapMaxMs: this.#opts.tapMaxMs,
    });
    if (kind.kind === 'swipe') {
      const unzoomed = this.transform.scale <= this.#opts.minScale * 1.05;
      return unzoomed ? { kind: 'swipe', direction: kind.direction } : { kind: 'none' };
    }
    if (kind.kind !== 'tap') return { kind: 'none' };
    const tap: TrackPoint = { ...p, t };
    if (isDoubleTap(this.#lastTap, tap)) {
      this.#lastTap = undefined;
      this.#doubleTapZoom(p);
      return { kind: 'double-tap' };
    }
    this.#lastTap = tap;
    return { kind: 'tap', x: p.x, y: p.y };
  }

  /** Zooms by `factor` about view point `anchor` (default: the centre), for buttons and wheels. */
  zoomBy(factor: number, anchor?: Point): ViewTransform {
    const a = anchor ? this.#rel(anchor) : { x: 0, y: 0 };
    const scale = Math.min(this.#opts.maxScale, Math.max(this.#opts.minScale, this.transform.scale * factor));
    this.transform = this.#clamp(zoomAbout(this.transform, a, scale));
    this.#rebase();
    return this.transform;
  }

  /** Back to the whole view. */
  reset(): ViewTransform {
    this.transform = IDENTITY;
    this.#rebase();
    return this.transform;
  }

  #doubleTapZoom(p: Point): void {
    const { zoomOutAbove, doubleTapFactor, maxScale } = this.#opts;
    const deep =
      zoomOutAbove === undefined
        ? this.transform.scale * doubleTapFactor > maxScale + 1e-9
        : this.transform.scale > zoomOutAbove;
    if (deep) this.reset();
    else this.zoomBy(this.#opts.doubleTapFactor, p);
  }

  // Each change in the number of fingers starts the gesture afresh from where the view is now.
  #rebase(): void {
    this.#start = this.transform;
    this.#startPoints = [...this.#pointers.values()];
  }

  #rel(p: Point): Point {
    return { x: p.x - this.#view.width / 2, y: p.y - this.#view.height / 2 };
  }

  #clamp(t: ViewTransform): ViewTransform {
    return clampPan(t, this.#content ?? this.#view, this.#view);
  }
}
