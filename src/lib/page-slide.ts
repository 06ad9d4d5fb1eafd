import { cubicOut } from 'svelte/easing';

/** Frames per second the keyframes are laid out for. */
const FPS = 60;

/**
 * Keyframes that move a page from `fromPx` to `toPx` along the x axis,
 * easing out, one keyframe per display frame and every position a whole
 * pixel. With `snap`, each position holds until the next rather than being
 * blended towards it, so a screen composited on the CPU copies the page each
 * frame instead of resampling it (which it cannot do for a full page in one
 * frame).
 */
export function slideKeyframes(fromPx: number, toPx: number, durationMs: number, snap: boolean): Keyframe[] {
  const frames = Math.max(1, Math.ceil((durationMs * FPS) / 1000));
  return Array.from({ length: frames + 1 }, (_, i) => {
    const t = i / frames;
    // `+ 0` turns the -0 of a leftward page at rest into 0.
    const px = Math.round(fromPx + (toPx - fromPx) * cubicOut(t)) + 0;
    return { offset: t, transform: `translate3d(${px}px, 0, 0)`, easing: snap ? 'step-end' : 'linear' };
  });
}

/**
 * How long a slide over `distance` of a `width`-wide page takes: the whole
 * `fullMs` for the whole width, less for a page a finger has already
 * brought part of the way, but never so short that it jumps.
 */
export function slideDuration(distance: number, width: number, fullMs: number): number {
  if (fullMs <= 0 || width <= 0) return 0;
  const share = Math.min(1, Math.abs(distance) / width);
  return Math.round(Math.max(fullMs * 0.4, fullMs * share));
}
