/**
 * Playwright fixtures for the visitor journey: the real browser host
 * (`startPreview`) started in process on a random port with the bundled
 * exhibit, and a touch-enabled page at either orientation.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startPreview, type Preview } from '../../main/cli/preview.js';

/** The two screens the kiosk must look right on. */
export const ORIENTATIONS = {
  landscape: { width: 1920, height: 1080 },
  portrait: { width: 1080, height: 1920 },
} as const;
export type Orientation = keyof typeof ORIENTATIONS;

interface WorkerFixtures {
  /** Seconds without a touch before "Still there?"; set per file with `test.use`. */
  idleSeconds: number;
  countdownSeconds: number;
  attractSeconds: number;
  preview: Preview;
}

interface TestFixtures {
  orientation: Orientation;
  /** A page on the kiosk, waiting on the attract loop. */
  kiosk: Page;
}

const rendererDir = fileURLToPath(new URL('../../dist/renderer', import.meta.url));

export const test = base.extend<TestFixtures, WorkerFixtures>({
  idleSeconds: [600, { scope: 'worker', option: true }],
  countdownSeconds: [15, { scope: 'worker', option: true }],
  attractSeconds: [8, { scope: 'worker', option: true }],
  preview: [
    async ({ idleSeconds, countdownSeconds, attractSeconds }, use) => {
      if (!existsSync(`${rendererDir}/index.html`)) {
        throw new Error('dist/renderer is missing: run `npm run build:renderer` before the e2e tests');
      }
      const preview = await startPreview({
        port: 0,
        open: false,
        quiet: true,
        watch: false,
        idleSeconds,
        countdownSeconds,
        attractSeconds,
      });
      await use(preview);
      await preview.close();
    },
    { scope: 'worker' },
  ],
  orientation: ['landscape', { option: true }],
  viewport: async ({ orientation }, use) => use(ORIENTATIONS[orientation]),
  hasTouch: true,
  isMobile: false,
  kiosk: async ({ page, preview }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(preview.url);
    await expect(page.getByTestId('attract')).toBeVisible();
    await use(page);
    expect(errors, 'no uncaught errors in the renderer').toEqual([]);
  },
});

export { expect };

/** The screen the app says it is on. */
export function screenOf(page: Page) {
  return page.getByTestId('app');
}
