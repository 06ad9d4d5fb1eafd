/**
 * Screenshots of every visitor screen at both orientations, saved to
 * `test-results/screens/` for a person to look at. Each shot also checks the
 * screen really is the one named, so a broken screen cannot pass as a picture.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { startPreview } from '../../main/cli/preview.js';
import { firstIllustrated, servedExhibit } from './exhibit-data.js';
import { expect, ORIENTATIONS, screenOf, test, type Orientation } from './kiosk-fixture.js';
import { centreOf, pinch, tap, tapOn } from './touch.js';

// VITRINE_SCREENS_DIR moves them, e.g. out of test-results/, which every Playwright run empties.
const out =
  process.env.VITRINE_SCREENS_DIR ?? path.resolve(import.meta.dirname, '../../test-results/screens');

async function shot(page: Page, orientation: Orientation, name: string) {
  // Let transitions settle and fonts arrive so the picture shows the resting screen.
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(700);
  await page.screenshot({ path: path.join(out, `${orientation}-${name}.png`) });
}

/** The scale the viewer's picture is drawn at (its computed transform). */
function drawnScale(page: Page): Promise<number> {
  return page
    .getByTestId('viewer-image')
    .evaluate((el) => new DOMMatrixReadOnly(getComputedStyle(el).transform).a);
}

test.use({ idleSeconds: 10, countdownSeconds: 30 });

for (const orientation of Object.keys(ORIENTATIONS) as Orientation[]) {
  test.describe(`screens (${orientation})`, () => {
    test.use({ orientation });

    test('every visitor screen', async ({ kiosk: page, preview }) => {
      test.setTimeout(120_000);
      const exhibit = await servedExhibit(preview.url);
      await shot(page, orientation, '01-attract');

      const { width, height } = page.viewportSize()!;
      await tap(page, { x: width / 2, y: height / 2 });
      await expect(page.getByTestId('home')).toBeVisible();
      await shot(page, orientation, '02-home');

      const plain = exhibit.chapters.findIndex((c) => c.images.length === 0);
      if (plain >= 0) {
        await tapOn(page, `[data-testid=chapter-card] >> nth=${plain}`);
        await expect(screenOf(page)).toHaveAttribute('data-screen', 'chapter');
        await shot(page, orientation, '03-chapter-text-only');
        await tapOn(page, '[data-testid=home-button]');
      }
      const illustrated = firstIllustrated(exhibit);
      await tapOn(page, `[data-testid=chapter-card] >> nth=${illustrated}`);
      await expect(page.getByTestId('chapter-image')).toBeVisible();
      await shot(page, orientation, '04-chapter');

      await tapOn(page, '[data-testid=chapter-image]');
      await expect(page.getByTestId('viewer')).toBeVisible();
      await shot(page, orientation, '05-viewer');
      const fittedBox = (await page.getByTestId('viewer-image').boundingBox())!;
      await pinch(page, await centreOf(page, '[data-testid=viewer-image]'), 100, 380);
      // The shot must show a zoomed picture: the drawn transform and the picture's size both grew.
      await expect.poll(() => drawnScale(page)).toBeGreaterThan(2);
      const zoomedBox = (await page.getByTestId('viewer-image').boundingBox())!;
      expect(zoomedBox.width).toBeGreaterThan(fittedBox.width * 2);
      expect(zoomedBox.height).toBeGreaterThan(fittedBox.height * 2);
      await shot(page, orientation, '06-viewer-zoomed');
      await tapOn(page, '[data-testid=viewer-close]');

      await tapOn(page, '[data-testid=lang-switch] [data-lang=ru]');
      await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
      await shot(page, orientation, '07-chapter-ru');
      await tapOn(page, '[data-testid=home-button]');
      await expect(page.getByTestId('home')).toBeVisible();
      await shot(page, orientation, '08-home-ru');
      await tapOn(page, '[data-testid=lang-switch] [data-lang=en]');

      for (const extra of ['timeline', 'numbers', 'map', 'credits']) {
        const entry = page.getByTestId(`extra-${extra}`);
        if ((await entry.count()) === 0) continue;
        await tapOn(page, `[data-testid=extra-${extra}]`);
        await expect(page.getByTestId('extra-screen')).toHaveAttribute('data-extra', extra);
        await shot(page, orientation, `09-extra-${extra}`);
        await tapOn(page, '[data-testid=home-button]');
        await expect(page.getByTestId('home')).toBeVisible();
      }

      await expect(page.getByTestId('idle-overlay')).toBeVisible({ timeout: 20_000 });
      await shot(page, orientation, '10-idle');
    });

    test('every primary control sits in the lower half, in the same place on every screen', async ({
      kiosk: page,
      preview,
    }) => {
      const exhibit = await servedExhibit(preview.url);
      const { height } = page.viewportSize()!;
      const seen = new Map<string, { x: number; y: number }>();

      // Within reach of a seated visitor, big enough for a finger, and where it was on the last screen.
      async function inReach(screen: string, ids: string[]) {
        for (const id of ids) {
          const box = await page.getByTestId(id).first().boundingBox();
          expect(box, `${id} on ${screen}`).not.toBeNull();
          expect(box!.y, `${id} on ${screen} starts in the lower half`).toBeGreaterThanOrEqual(height / 2);
          expect(box!.y + box!.height, `${id} on ${screen} is on screen`).toBeLessThanOrEqual(height);
          expect(box!.height, `${id} on ${screen} is a finger tall`).toBeGreaterThanOrEqual(64);
          const before = seen.get(id);
          if (before) expect({ x: box!.x, y: box!.y }, `${id} on ${screen} has not moved`).toEqual(before);
          else seen.set(id, { x: box!.x, y: box!.y });
        }
      }

      await inReach('attract', ['access-button', 'lang-switch']);
      await tapOn(page, '[data-testid=attract]');
      await expect(page.getByTestId('home')).toBeVisible();
      await inReach('home', ['access-button', 'lang-switch']);

      await tapOn(page, `[data-testid=chapter-card] >> nth=${firstIllustrated(exhibit)}`);
      await expect(page.getByTestId('chapter-image')).toBeVisible();
      await inReach('chapter', ['access-button', 'lang-switch', 'home-button', 'prev', 'next']);

      await tapOn(page, '[data-testid=chapter-image]');
      await expect(page.getByTestId('viewer')).toBeVisible();
      await inReach('viewer', ['access-button', 'lang-switch', 'home-button', 'viewer-close']);
      await tapOn(page, '[data-testid=home-button]');
      await expect(page.getByTestId('home')).toBeVisible();

      const extra = page.locator('[data-testid^=extra-]').first();
      if ((await extra.count()) > 0) {
        await extra.click();
        await expect(page.getByTestId('extra-screen')).toBeVisible();
        await inReach('extra screen', ['access-button', 'lang-switch', 'home-button']);
      }
    });

    test('the calm fallback when there is no content', async ({ page }) => {
      const empty = await mkdtemp(path.join(tmpdir(), 'vitrine-empty-'));
      const preview = await startPreview({
        port: 0,
        open: false,
        quiet: true,
        watch: false,
        contentDir: empty,
      });
      try {
        await page.goto(preview.url);
        await expect(page.getByTestId('fallback')).toBeVisible();
        await expect(page.getByTestId('fallback')).toContainText('This exhibit is resting');
        await shot(page, orientation, '11-fallback');
      } finally {
        await preview.close();
        await rm(empty, { recursive: true, force: true });
      }
    });
  });
}
