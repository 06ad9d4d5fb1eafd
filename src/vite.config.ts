import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, type Plugin } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * Marks the page's entry script `blocking="render"` (Vite writes its own `<script>` tag and drops
 * the attribute): the browser then draws nothing until the app has built its first screen. Without
 * it, the first frame is an empty page whose drawing holds up the script by a frame's worth of work
 * on a slow PC, and the first screen comes that much later.
 */
function renderBlockingEntry(): Plugin {
  return {
    name: 'vitrine-render-blocking-entry',
    enforce: 'post',
    transformIndexHtml: {
      order: 'post',
      handler: (html) =>
        html.replace(/<script type="module"(?![^>]*\bblocking=)/g, '<script type="module" blocking="render"'),
    },
  };
}

/** The renderer is a static web app: both hosts serve `dist/renderer` as built here. */
export default defineConfig({
  root: here,
  base: './',
  plugins: [svelte(), renderBlockingEntry()],
  resolve: {
    alias: [
      // The kiosk plays no spatial sound: Howler's core build is the same Howl and Howler without the
      // spatial plugin, a quarter smaller. Only the renderer's bundle takes it; the unit tests run the
      // full build, which is the core plus that plugin, so both behave the same for what we call.
      { find: /^howler$/, replacement: 'howler/dist/howler.core.min.js' },
    ],
  },
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'chrome120',
    assetsInlineLimit: 0,
  },
});
