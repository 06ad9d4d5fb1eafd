import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

/** The renderer is a static web app: both hosts serve `dist/renderer` as built here. */
export default defineConfig({
  root: here,
  base: './',
  plugins: [svelte()],
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
