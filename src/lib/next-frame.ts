/**
 * Runs `fn` once, in the task after the page's next frame is drawn, or after
 * `latestMs` if no frame comes first (a page out of sight draws none).
 */
export function afterNextFrame(fn: () => void, latestMs = 1000): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    fn();
  };
  // An animation frame's callbacks run just before it is drawn; the task after them, once it is.
  requestAnimationFrame(() => setTimeout(once, 0));
  setTimeout(once, latestMs);
}
