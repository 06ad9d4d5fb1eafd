/**
 * A page built ahead of a turn (see page-ahead.spec.ts) never outlives the
 * visit: when the visitor walks away, the idle reset takes it with the
 * chapter screen.
 */
import { openChapter, openIllustratedPair } from './chapter-helpers.js';
import { expect, test } from './kiosk-fixture.js';
import { centreOf } from './touch.js';

test.use({ idleSeconds: 4, countdownSeconds: 2 });

test('no page built ahead outlives the visit', async ({ kiosk: page, preview }) => {
  const { at } = await openIllustratedPair(page, preview.url);
  // A finger rests on Next, then slides off it: nothing turns, the next page stays built.
  const next = await centreOf(page, '[data-testid=next]');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [next] });
  await expect
    .poll(() =>
      page
        .locator(`.page[data-page="${at + 1}"] .frame img`)
        .evaluate((img: HTMLImageElement) => img.complete && img.hasAttribute('data-decoded')),
    )
    .toBe(true);
  await cdp.send('Input.dispatchTouchEvent', {
    type: 'touchMove',
    touchPoints: [{ x: next.x, y: next.y - 300 }],
  });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await expect(page.getByTestId('chapter')).toHaveAttribute('data-index', String(at));
  await expect(page.locator('.page[data-prepared]')).toHaveCount(1);

  await expect(page.getByTestId('attract')).toBeVisible({ timeout: 20_000 });
  await expect(page.locator('.page')).toHaveCount(0);
  // The next visitor's chapter screen starts with its own page alone.
  await openChapter(page, at);
  await expect(page.locator('.page')).toHaveCount(1);
});
