/**
 * The attract loop runs unattended for months: however its timers bunch (a loaded machine
 * fires several late intervals back to back), slides must never pile up on screen.
 */
import type { Locator } from '@playwright/test';
import { expect, ORIENTATIONS, test } from './kiosk-fixture.js';

test.use({ viewport: ORIENTATIONS.landscape });

test('after many slide changes, bunched or not, at most two slides exist', async ({ page, preview }) => {
  // The fake clock goes in before the page loads, so the loop's interval runs on it.
  await page.clock.install();
  await page.goto(preview.url);
  await expect(page.getByTestId('attract')).toBeVisible();
  const dwell = await page.evaluate(
    async () => (await (await fetch('/api/exhibit')).json()).exhibit.settings.attractSecondsPerSlide * 1000,
  );
  const slides = page.getByTestId('attract-slide');
  const titles = new Set<string>();
  for (let i = 0; i < 30; i++) {
    // Every third step, five slide changes land at once, as late timers do under load.
    await page.clock.runFor(i % 3 === 2 ? dwell * 5 : dwell);
    expect(await slides.count()).toBeLessThanOrEqual(2);
    titles.add((await slides.last().locator('h2').textContent()) ?? '');
  }
  // The loop really moved on: the slide on top was not the same one throughout.
  expect(titles.size).toBeGreaterThan(2);
  // Left alone, it settles on one slide lying over the one before it: the top one fully
  // shown, nothing of it see-through, and of the one beneath neither words (two captions
  // would show through each other) nor a picture still being drawn.
  await expect(slides).toHaveCount(2);
  const shown = (slide: Locator) =>
    slide.locator('[data-fades]').evaluateAll((els) =>
      els.map((el) => {
        const style = getComputedStyle(el);
        return style.visibility === 'visible' && style.opacity === '1';
      }),
    );
  await expect.poll(() => shown(slides.last())).toEqual([true, true]);
  await expect.poll(() => shown(slides.first())).toEqual([false, false]);
});

for (const [motion, expected] of [
  ['cpu', 'moves in whole pixels, unscaled'],
  ['gpu', 'zooms smoothly'],
] as const) {
  test(`with motion=${motion} the attract picture ${expected}`, async ({ page, preview }) => {
    await page.goto(`${preview.url}?motion=${motion}`);
    await expect(page.getByTestId('attract')).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.classList.contains('cpu-composited'))).toBe(
      motion === 'cpu',
    );
    const moving = page.getByTestId('attract-slide').last().locator('.kenburns, .ghost-num');
    const samples: { a: number; e: number; f: number }[] = [];
    for (let i = 0; i < 4; i++) {
      await page.waitForTimeout(300);
      samples.push(
        await moving.evaluate((el) => {
          const { a, e, f } = new DOMMatrixReadOnly(getComputedStyle(el).transform);
          return { a, e, f };
        }),
      );
    }
    // It does move.
    expect(new Set(samples.map((m) => `${m.a} ${m.e}`)).size).toBeGreaterThan(1);
    for (const m of samples) {
      if (motion === 'cpu') {
        expect(m.a).toBe(1);
        expect(Number.isInteger(m.e) && Number.isInteger(m.f)).toBe(true);
      } else {
        expect(m.a).toBeGreaterThan(1);
      }
    }
  });
}
