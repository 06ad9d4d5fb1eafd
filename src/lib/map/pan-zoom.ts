/**
 * Touch pan and zoom for the campaign map, as pure state: feed it pointer
 * downs, moves and ups (view px, top-left origin) and it returns the view
 * transform and any tap or double tap. The pinch/pan math itself is shared
 * with the image viewer (`src/lib/gestures.ts`).
 */
import {
  clampPan,
  isDoubleTap,
  pinchTransform,
  zoomAbout,
  type Point,
  type Size,
  type TrackPoint,
  type ViewTransform,
} from '../gestures';

export type { Point, Size, ViewTransform };

/** Limits and thresholds for {@link PanZoom}. */
export interface PanZoomOptions {
  minScale: number;
  maxScale: number;
  /** Factor a double tap zooms in by. */
  doubleTapFactor: number;
  /** Largest movement (px) that still counts as a tap. */
  tapSlop: number;
  /** Longest press (ms) that still counts as a tap. */
  tapMaxMs: number;
}

/** Defaults for a 1080p touch screen. */
export const PAN_ZOOM_DEFAULTS: PanZoomOptions = {
  minScale: 1,
  maxScale: 8,
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

/** What a lifted finger amounted to. */
export type GestureEnd = { kind: 'tap'; x: number; y: number } | { kind: 'double-tap' } | { kind: 'none' };

/**
 * Pointer-driven pan and zoom. One finger pans, two fingers pinch (zoom about
 * their midpoint and move with it), a double tap zooms in by
 * `doubleTapFactor` (or back out when already deep), and the map never
 * leaves a gap at its edges.
 */
export class PanZoom {
  transform: ViewTransform = IDENTITY;
  #view: Size;
  #opts: PanZoomOptions;
  #pointers = new Map<number, Point>();
  #start: ViewTransform = IDENTITY;
  #startPoints: Point[] = [];
  #down: TrackPoint | undefined;
  #moved = false;
  #multi = false;
  #lastTap: TrackPoint | undefined;

  constructor(view: Size, opts: Partial<PanZoomOptions> = {}) {
    this.#view = view;
    this.#opts = { ...PAN_ZOOM_DEFAULTS, ...opts };
  }

  /** Tells the gesture the view's new size (on resize or rotation); keeps the transform valid. */
  setView(view: Size): ViewTransform {
    this.#view = view;
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
      this.#down = { ...p, t };
      this.#moved = false;
      this.#multi = false;
    } else {
      this.#multi = true;
    }
    this.#rebase();
  }

  /** A finger moved; returns the new transform. */
  move(id: number, p: Point): ViewTransform {
    if (!this.#pointers.has(id)) return this.transform;
    this.#pointers.set(id, this.#rel(p));
    if (this.#down && Math.hypot(p.x - this.#down.x, p.y - this.#down.y) > this.#opts.tapSlop)
      this.#moved = true;
    const now = [...this.#pointers.values()];
    if (now.length >= 2 && this.#startPoints.length >= 2) {
      const next = pinchTransform(
        this.#start,
        [this.#startPoints[0]!, this.#startPoints[1]!],
        [now[0]!, now[1]!],
        { min: this.#opts.minScale, max: this.#opts.maxScale },
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

  /** A finger lifted (or was cancelled); says whether the gesture was a tap or double tap. */
  up(id: number, p: Point, t: number, cancelled = false): GestureEnd {
    if (!this.#pointers.delete(id)) return { kind: 'none' };
    this.#rebase();
    if (this.#pointers.size > 0 || cancelled) return { kind: 'none' };
    const down = this.#down;
    this.#down = undefined;
    if (!down || this.#moved || this.#multi || t - down.t > this.#opts.tapMaxMs) return { kind: 'none' };
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

  /** Back to the whole map. */
  reset(): ViewTransform {
    this.transform = IDENTITY;
    this.#rebase();
    return this.transform;
  }

  #doubleTapZoom(p: Point): void {
    const deep = this.transform.scale * this.#opts.doubleTapFactor > this.#opts.maxScale + 1e-9;
    if (deep) this.reset();
    else this.zoomBy(this.#opts.doubleTapFactor, p);
  }

  // Each change in the number of fingers starts the gesture afresh from where the map is now.
  #rebase(): void {
    this.#start = this.transform;
    this.#startPoints = [...this.#pointers.values()];
  }

  #rel(p: Point): Point {
    return { x: p.x - this.#view.width / 2, y: p.y - this.#view.height / 2 };
  }

  #clamp(t: ViewTransform): ViewTransform {
    return clampPan(t, this.#view, this.#view);
  }
}
