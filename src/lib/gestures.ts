/**
 * Pure touch-gesture math: classifying a pointer track as a tap or a swipe,
 * spotting double taps, and the pinch/pan transform of a zoomable image.
 * No DOM here, so every threshold is unit-tested.
 */

/** One sample of a pointer: position in CSS px and time in ms. */
export interface TrackPoint {
  x: number;
  y: number;
  t: number;
}

/** Thresholds for {@link classifyTrack}. */
export interface SwipeOptions {
  /** Largest movement (px) that still counts as a tap. */
  tapSlop: number;
  /** Longest press (ms) that still counts as a tap. */
  tapMaxMs: number;
  /** Shortest travel (px) along the main axis for a swipe. */
  minDistance: number;
  /** Lowest speed (px/ms) over the last part of the track for a flick. */
  minVelocity: number;
  /** A slow drag this long (px) is a swipe even without speed. */
  dragDistance: number;
  /** The main axis must dominate the other by this factor. */
  axisRatio: number;
}

/** Defaults tuned for a 1080p touch screen at arm's length. */
export const SWIPE_DEFAULTS: SwipeOptions = {
  tapSlop: 12,
  tapMaxMs: 500,
  minDistance: 40,
  minVelocity: 0.3,
  dragDistance: 140,
  axisRatio: 1.3,
};

/** What a finished one-finger track was. */
export type TrackKind =
  | { kind: 'tap'; x: number; y: number }
  | { kind: 'swipe'; direction: 'left' | 'right' | 'up' | 'down'; distance: number; velocity: number }
  | { kind: 'none' };

/** Speed (px/ms) over roughly the last `windowMs` of a track along each axis. */
function velocity(track: readonly TrackPoint[], windowMs = 100): { vx: number; vy: number } {
  const last = track[track.length - 1];
  if (!last || track.length < 2) return { vx: 0, vy: 0 };
  let first = track[0]!;
  for (let i = track.length - 2; i >= 0; i--) {
    first = track[i]!;
    if (last.t - first.t >= windowMs) break;
  }
  const dt = Math.max(1, last.t - first.t);
  return { vx: (last.x - first.x) / dt, vy: (last.y - first.y) / dt };
}

/** Classifies a finished one-finger track as a tap, a swipe or neither. */
export function classifyTrack(track: readonly TrackPoint[], opts: SwipeOptions = SWIPE_DEFAULTS): TrackKind {
  const start = track[0];
  const end = track[track.length - 1];
  if (!start || !end) return { kind: 'none' };
  const dx = end.x - start.x;
  const dy = end.y - start.y;
  const maxTravel = Math.max(...track.map((p) => Math.hypot(p.x - start.x, p.y - start.y)));
  if (maxTravel <= opts.tapSlop) {
    return end.t - start.t <= opts.tapMaxMs ? { kind: 'tap', x: end.x, y: end.y } : { kind: 'none' };
  }
  const horizontal = Math.abs(dx) >= Math.abs(dy) * opts.axisRatio;
  const vertical = Math.abs(dy) >= Math.abs(dx) * opts.axisRatio;
  if (!horizontal && !vertical) return { kind: 'none' };
  const distance = horizontal ? Math.abs(dx) : Math.abs(dy);
  const v = velocity(track);
  const speed = horizontal ? v.vx : v.vy;
  const along = horizontal ? dx : dy;
  // A flick must still be moving the same way at release; a drag that came back is not a swipe.
  const fast = Math.abs(speed) >= opts.minVelocity && Math.sign(speed) === Math.sign(along);
  if (distance < opts.minDistance || !(fast || distance >= opts.dragDistance)) return { kind: 'none' };
  const direction = horizontal ? (dx < 0 ? 'left' : 'right') : dy < 0 ? 'up' : 'down';
  return { kind: 'swipe', direction, distance, velocity: Math.abs(speed) };
}

/** The longest time, in ms, from one tap's lift to the next's that still makes a double tap. */
export const DOUBLE_TAP_MS = 450;

/** Whether two taps make a double tap: close in time and place. */
export function isDoubleTap(
  first: TrackPoint | undefined,
  second: TrackPoint,
  maxMs = DOUBLE_TAP_MS,
  maxDistance = 40,
): boolean {
  if (!first) return false;
  return second.t - first.t <= maxMs && Math.hypot(second.x - first.x, second.y - first.y) <= maxDistance;
}

/** A zoom/pan transform: `translate(x, y) scale(scale)` about the view's centre. */
export interface ViewTransform {
  scale: number;
  x: number;
  y: number;
}

/** Size of a box in CSS px. */
export interface Size {
  width: number;
  height: number;
}

/** A point relative to the centre of the view. */
export interface Point {
  x: number;
  y: number;
}

/** Midpoint and distance of two touch points. */
export function pinchGeometry(a: Point, b: Point): { centre: Point; distance: number } {
  return { centre: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }, distance: Math.hypot(a.x - b.x, a.y - b.y) };
}

/**
 * Zooms to `scale` keeping the content under `anchor` (relative to the view
 * centre) where it is, then moves by `pan`: the transform for pinch and double tap.
 */
export function zoomAbout(
  from: ViewTransform,
  anchor: Point,
  scale: number,
  pan: Point = { x: 0, y: 0 },
): ViewTransform {
  const cx = (anchor.x - from.x) / from.scale;
  const cy = (anchor.y - from.y) / from.scale;
  return { scale, x: anchor.x + pan.x - cx * scale, y: anchor.y + pan.y - cy * scale };
}

/**
 * The transform for a two-finger gesture: scaled by the change in finger
 * distance and moved with the fingers' midpoint, from where it began.
 */
export function pinchTransform(
  start: ViewTransform,
  startFingers: [Point, Point],
  nowFingers: [Point, Point],
  limits: { min: number; max: number },
): ViewTransform {
  const s = pinchGeometry(startFingers[0], startFingers[1]);
  const n = pinchGeometry(nowFingers[0], nowFingers[1]);
  const ratio = s.distance > 0 ? n.distance / s.distance : 1;
  const scale = Math.min(limits.max, Math.max(limits.min, start.scale * ratio));
  return zoomAbout(start, s.centre, scale, { x: n.centre.x - s.centre.x, y: n.centre.y - s.centre.y });
}

/**
 * Keeps a scaled content box covering the view where it can: no gap at an
 * edge once the content is larger than the view, centred while smaller.
 */
export function clampPan(t: ViewTransform, content: Size, view: Size): ViewTransform {
  const limit = (contentLen: number, viewLen: number, v: number) => {
    const slack = (contentLen * t.scale - viewLen) / 2;
    return slack <= 0 ? 0 : Math.min(slack, Math.max(-slack, v));
  };
  return {
    scale: t.scale,
    x: limit(content.width, view.width, t.x),
    y: limit(content.height, view.height, t.y),
  };
}

/** The size of `natural` fitted inside `view` without cropping (CSS `object-fit: contain`). */
export function containSize(natural: Size, view: Size): Size {
  if (natural.width <= 0 || natural.height <= 0) return { ...view };
  const k = Math.min(view.width / natural.width, view.height / natural.height);
  return { width: natural.width * k, height: natural.height * k };
}
