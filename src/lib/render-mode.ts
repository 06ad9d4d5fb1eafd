/**
 * Whether the screen is composited on the CPU. A kiosk PC with no usable GPU
 * (a blocklisted driver, a virtual machine, a thin client) still runs
 * Chromium, but every frame that moves a full-screen picture by a fraction
 * of a pixel then costs a filtered pass over every pixel on the CPU, and the
 * slow attract motion stutters. In that case `<html>` gets
 * {@link CPU_CLASS}, and the motion moves pictures in whole pixels instead,
 * which the CPU copies rather than resamples.
 */
import { afterNextFrame } from './next-frame';

/** The `<html>` class set when the screen is composited on the CPU. */
export const CPU_CLASS = 'cpu-composited';

// Renderers that draw with the CPU: Chromium's SwiftShader, Mesa's llvmpipe,
// softpipe and lavapipe, and Windows' Basic Render Driver.
const SOFTWARE = /swiftshader|llvmpipe|softpipe|lavapipe|basic render|software/i;

/**
 * Classifies a WebGL renderer name: `null` (no WebGL at all) counts as the
 * CPU, since a GPU Chromium cannot use for WebGL it will not composite with
 * either.
 */
export function isSoftwareRenderer(name: string | null): boolean {
  return name === null || SOFTWARE.test(name);
}

/** The WebGL renderer's name, or `null` where there is no WebGL. */
function webglRenderer(doc: Document = document): string | null {
  const gl = doc.createElement('canvas').getContext('webgl');
  if (!gl) return null;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const name = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  // The context has done its job; hand its memory back at once.
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return name;
}

/**
 * Puts {@link CPU_CLASS} on `<html>` when the screen is composited on the
 * CPU. `?motion=gpu` or `?motion=cpu` in the address overrides the guess, for
 * a technician who knows better.
 */
export function installRenderMode(doc: Document = document): boolean {
  const forced = new URLSearchParams(doc.location?.search ?? '').get('motion');
  let cpu: boolean;
  if (forced === 'cpu' || forced === 'gpu') cpu = forced === 'cpu';
  else {
    try {
      cpu = isSoftwareRenderer(webglRenderer(doc));
    } catch {
      cpu = true;
    }
  }
  doc.documentElement.classList.toggle(CPU_CLASS, cpu);
  return cpu;
}

/** The `<html>` class set once {@link installRenderMode} has run: motion that depends on it may start. */
const MOTION_KNOWN_CLASS = 'motion-known';

/**
 * Runs {@link installRenderMode} once the next frame is on screen (or after
 * `latestMs`, whatever happens), then sets {@link MOTION_KNOWN_CLASS}. Called
 * just after the app mounts, that frame is the app's first screen. Asking
 * WebGL for its renderer opens a context, a long moment on a slow PC that the
 * first screen need not wait for; the motion it decides holds still until
 * then (Attract.svelte).
 */
export function installRenderModeAfterNextFrame(doc: Document = document, latestMs = 1000): void {
  afterNextFrame(() => {
    installRenderMode(doc);
    doc.documentElement.classList.add(MOTION_KNOWN_CLASS);
  }, latestMs);
}
