/**
 * Walking away: with a short idle time the "Still there?" countdown appears,
 * a touch keeps the visit going, and letting it run out puts every bit of
 * visitor state back (screen, chapter, viewer, zoom, language).
 */
import type { Page } from '@playwright/test';
import { firstIllustrated, servedExhibit } from './exhibit-data.js';
import { expect, screenOf, test } from './kiosk-fixture.js';
import { pinch, centreOf, tap, tapOn } from './touch.js';

test.use({ idleSeconds: 5, countdownSeconds: 10 });

/** The scale the viewer's picture is drawn at (its computed transform). */
function drawnScale(page: Page): Promise<number> {
  return page
    .getByTestId('viewer-image')
    .evaluate((el) => new DOMMatrixReadOnly(getComputedStyle(el).transform).a);
}

async function explore(page: Page, chapter: number) {
  const { width, height } = page.viewportSize()!;
  await tap(page, { x: width / 2, y: height / 2 });
  await tapOn(page, `[data-testid=chapter-card] >> nth=${chapter}`);
  await tapOn(page, '[data-testid=lang-switch] [data-lang=ru]');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
  await tapOn(page, '[data-testid=chapter-image]');
  await expect(page.getByTestId('viewer')).toBeVisible();
}

test('the countdown appears after the idle time and Keep exploring dismisses it', async ({
  kiosk: page,
  preview,
}) => {
  const index = firstIllustrated(await servedExhibit(preview.url));
  await explore(page, index);
  const overlay = page.getByTestId('idle-overlay');
  await expect(overlay).toBeVisible({ timeout: 15_000 });
  await expect(overlay).toContainText('Вы ещё здесь?');
  await tapOn(page, '[data-testid=idle-keep]');
  await expect(overlay).toHaveCount(0);
  await expect(page.getByTestId('viewer')).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ru');

  // A touch anywhere else on the overlay also means "still here", and presses nothing beneath.
  await expect(overlay).toBeVisible({ timeout: 15_000 });
  await tap(page, { x: 24, y: page.viewportSize()!.height / 2 });
  await expect(overlay).toHaveCount(0);
  await expect(page.getByTestId('viewer')).toBeVisible();
});

test('when the countdown runs out everything resets to the attract loop in the default language', async ({
  kiosk: page,
  preview,
}) => {
  const index = firstIllustrated(await servedExhibit(preview.url));
  await explore(page, index);
  await pinch(page, await centreOf(page, '[data-testid=viewer-image]'), 120, 400);
  await expect.poll(() => drawnScale(page)).toBeGreaterThan(1.5);

  await expect(page.getByTestId('idle-overlay')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('attract')).toBeVisible({ timeout: 15_000 });
  await expect(screenOf(page)).toHaveAttribute('data-screen', 'attract');
  await expect(screenOf(page)).toHaveAttribute('data-lang', 'en');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByTestId('viewer')).toHaveCount(0);
  await expect(page.getByTestId('idle-overlay')).toHaveCount(0);
  await expect(page.getByTestId('touch-to-explore')).toHaveText('Touch to explore');

  // The next visitor starts at home, not in the last visitor's chapter.
  const { width, height } = page.viewportSize()!;
  await tap(page, { x: width / 2, y: height / 2 });
  await expect(page.getByTestId('home')).toBeVisible();
  await tapOn(page, '[data-testid=chapter-card] >> nth=0');
  await expect(page.getByTestId('position')).toHaveText('1');
  // ...and the picture the last visitor zoomed opens whole again.
  await tapOn(page, '[data-testid=home-button]');
  await tapOn(page, `[data-testid=chapter-card] >> nth=${index}`);
  await tapOn(page, '[data-testid=chapter-image]');
  await expect(page.getByTestId('viewer')).toBeVisible();
  expect(await drawnScale(page)).toBeCloseTo(1, 2);
});

test('Start over resets at once', async ({ kiosk: page, preview }) => {
  const index = firstIllustrated(await servedExhibit(preview.url));
  await explore(page, index);
  await expect(page.getByTestId('idle-overlay')).toBeVisible({ timeout: 15_000 });
  await tapOn(page, '[data-testid=idle-restart]');
  await expect(page.getByTestId('attract')).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
});
