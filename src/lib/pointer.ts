/**
 * Pointer-event plumbing for components: a swipe attachment built on the pure
 * classifier in `gestures.ts`, and the global pressed-state feedback.
 */
import type { Attachment } from 'svelte/attachments';
import { classifyTrack, type TrackPoint, SWIPE_DEFAULTS } from './gestures.js';

/** Callbacks for {@link swipe}. */
export interface SwipeHandlers {
  /** A horizontal swipe finished. */
  onSwipe?: (direction: 'left' | 'right') => void;
  /** The finger moved horizontally by `dx` px (0 when the track ends), for follow-the-finger feedback. */
  onDrag?: (dx: number) => void;
  /** When false, the attachment ignores touches (e.g. while zoomed). */
  enabled?: () => boolean;
}

/**
 * Attachment that recognises one-finger horizontal swipes on an element.
 * A second finger cancels the track, so pinches are never read as swipes.
 */
export function swipe(handlers: SwipeHandlers): Attachment<HTMLElement> {
  return (node) => {
    let id: number | null = null;
    let track: TrackPoint[] = [];
    // Fingers down anywhere on the element; ups are heard on the window because the
    // element a finger started on may have left the page (a chapter sliding away).
    const fingers = new Set<number>();

    const end = () => {
      id = null;
      track = [];
      handlers.onDrag?.(0);
    };
    const down = (e: PointerEvent) => {
      fingers.add(e.pointerId);
      if (handlers.enabled && !handlers.enabled()) return;
      if (fingers.size > 1 || (e.pointerType === 'mouse' && e.button !== 0)) return end();
      id = e.pointerId;
      track = [{ x: e.clientX, y: e.clientY, t: e.timeStamp }];
    };
    const move = (e: PointerEvent) => {
      if (e.pointerId !== id) return;
      track.push({ x: e.clientX, y: e.clientY, t: e.timeStamp });
      const dx = e.clientX - track[0]!.x;
      const dy = e.clientY - track[0]!.y;
      if (Math.abs(dx) > SWIPE_DEFAULTS.tapSlop && Math.abs(dx) > Math.abs(dy)) handlers.onDrag?.(dx);
    };
    const up = (e: PointerEvent) => {
      fingers.delete(e.pointerId);
      if (e.pointerId !== id) return;
      track.push({ x: e.clientX, y: e.clientY, t: e.timeStamp });
      const kind = classifyTrack(track);
      end();
      if (kind.kind === 'swipe' && (kind.direction === 'left' || kind.direction === 'right')) {
        handlers.onSwipe?.(kind.direction);
      }
    };
    const cancel = (e: PointerEvent) => {
      fingers.delete(e.pointerId);
      if (e.pointerId === id) end();
    };
    node.addEventListener('pointerdown', down);
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
    window.addEventListener('pointercancel', cancel);
    return () => {
      node.removeEventListener('pointerdown', down);
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      window.removeEventListener('pointercancel', cancel);
    };
  };
}

const PRESSABLE = 'button, [role="button"], [data-pressable]';

/**
 * Shows a pressed state on the control under a finger in the very next frame
 * (CSS `:active` alone can lag on touch), and keeps long-press menus, text
 * selection and image drags away. Returns a function that undoes it.
 */
export function installTouchHygiene(root: Document = document): () => void {
  let pressed: Element | null = null;
  const release = () => {
    pressed?.classList.remove('is-pressed');
    pressed = null;
  };
  const down = (e: PointerEvent) => {
    release();
    const el = (e.target as Element | null)?.closest?.(PRESSABLE);
    if (el && !(el as HTMLButtonElement).disabled) {
      pressed = el;
      el.classList.add('is-pressed');
    }
  };
  const prevent = (e: Event) => e.preventDefault();
  root.addEventListener('pointerdown', down, { capture: true });
  root.addEventListener('pointerup', release, { capture: true });
  root.addEventListener('pointercancel', release, { capture: true });
  root.addEventListener('contextmenu', prevent);
  root.addEventListener('dragstart', prevent);
  root.addEventListener('selectstart', prevent);
  // Ctrl+wheel and gesture events would zoom the page itself; the kiosk zooms only images.
  const wheel = (e: WheelEvent) => e.ctrlKey && e.preventDefault();
  root.addEventListener('wheel', wheel, { passive: false });
  return () => {
    root.removeEventListener('pointerdown', down, { capture: true });
    root.removeEventListener('pointerup', release, { capture: true });
    root.removeEventListener('pointercancel', release, { capture: true });
    root.removeEventListener('contextmenu', prevent);
    root.removeEventListener('dragstart', prevent);
    root.removeEventListener('selectstart', prevent);
    root.removeEventListener('wheel', wheel);
  };
}

/**
 * Swallows the click the browser synthesises after a touch that already did
 * its job (leaving the attract loop, dismissing the countdown), so it cannot
 * press what appears beneath. Only a click near `at` within `withinMs` counts.
 */
export function swallowNextClick(at: { x: number; y: number }, withinMs = 1000): void {
  const started = Date.now();
  const stop = (e: MouseEvent) => {
    if (Date.now() - started > withinMs) return done();
    if (Math.hypot(e.clientX - at.x, e.clientY - at.y) > 48) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    done();
  };
  const done = () => window.removeEventListener('click', stop, { capture: true });
  window.addEventListener('click', stop, { capture: true });
  setTimeout(done, withinMs);
}

/**
 * Attachment for full-screen overlays that a touch dismisses (the attract
 * loop, the countdown's backdrop). It acts on the click the touch produces,
 * which lands on the overlay itself because the overlay is still there, so
 * nothing beneath is pressed; a touch that yields no click (a drag, a long
 * press) acts shortly after it lifts, with any late click swallowed.
 * Targets matching `ignore` (the overlay's own buttons) are left alone.
 */
export function dismissOnTouch(onTouch: () => void, ignore = 'button'): Attachment<HTMLElement> {
  return (node) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let armed = false;
    const ignored = (e: Event) => Boolean((e.target as Element | null)?.closest?.(ignore));
    const fire = () => {
      clearTimeout(timer);
      timer = undefined;
      onTouch();
    };
    const down = (e: PointerEvent) => {
      if (ignored(e)) return;
      e.preventDefault();
      armed = true;
    };
    const up = (e: PointerEvent) => {
      if (!armed) return;
      armed = false;
      const at = { x: e.clientX, y: e.clientY };
      clearTimeout(timer);
      timer = setTimeout(() => {
        swallowNextClick(at);
        fire();
      }, 450);
    };
    const click = (e: MouseEvent) => {
      if (ignored(e)) return;
      e.preventDefault();
      e.stopPropagation();
      fire();
    };
    node.addEventListener('pointerdown', down);
    node.addEventListener('pointerup', up);
    node.addEventListener('click', click);
    return () => {
      clearTimeout(timer);
      node.removeEventListener('pointerdown', down);
      node.removeEventListener('pointerup', up);
      node.removeEventListener('click', click);
    };
  };
}

/**
 * Runs `fn` once the browser has painted the next frame: a touch's visible
 * answer (a pressed button) is not held up behind the work it sets off.
 */
export function afterNextPaint(fn: () => void): void {
  requestAnimationFrame(() => setTimeout(fn, 0));
}

/**
 * The event a control that acts on the finger's lift ({@link tapAction}) sends in place of the
 * click it swallows, so that what listens for presses (the tap sound) hears those too.
 */
export const PRESSED_EVENT = 'vitrine:pressed';

/**
 * Attachment that activates a control when a finger lifts from it without
 * having moved, instead of waiting for the browser's synthesised click,
 * which Chromium drops for a tap that follows a swipe too closely. Clicks
 * still work (keyboard, switch access); one that follows a handled touch is
 * ignored so nothing runs twice.
 *
 * The control acts just after the next paint, so the frame that answers the
 * touch shows the button pressed at once, whatever the action then costs.
 */
export function tapAction(fn: () => void): Attachment<HTMLElement> {
  return (node) => {
    let start: { id: number; x: number; y: number } | null = null;
    let handledAt = -Infinity;
    const down = (e: PointerEvent) => {
      if (e.pointerType === 'mouse' && e.button !== 0) return;
      start = { id: e.pointerId, x: e.clientX, y: e.clientY };
    };
    const up = (e: PointerEvent) => {
      if (!start || e.pointerId !== start.id) return;
      const moved = Math.hypot(e.clientX - start.x, e.clientY - start.y);
      start = null;
      if (moved > SWIPE_DEFAULTS.tapSlop || (node as HTMLButtonElement).disabled) return;
      if (!node.contains(document.elementFromPoint(e.clientX, e.clientY))) return;
      handledAt = e.timeStamp;
      // The control may change the screen right now; its late click must not press what appears there.
      swallowNextClick({ x: e.clientX, y: e.clientY });
      node.dispatchEvent(new Event(PRESSED_EVENT, { bubbles: true }));
      node.classList.add('is-pressed');
      afterNextPaint(() => {
        node.classList.remove('is-pressed');
        fn();
      });
    };
    const cancel = () => (start = null);
    const click = (e: MouseEvent) => {
      if (e.timeStamp - handledAt < 800) return;
      afterNextPaint(fn);
    };
    node.addEventListener('pointerdown', down);
    node.addEventListener('pointerup', up);
    node.addEventListener('pointercancel', cancel);
    node.addEventListener('click', click);
    return () => {
      node.removeEventListener('pointerdown', down);
      node.removeEventListener('pointerup', up);
      node.removeEventListener('pointercancel', cancel);
      node.removeEventListener('click', click);
    };
  };
}
