/**
 * The attract loop runs unattended for months: however its timers bunch (a loaded machine
 * fires several late intervals back to back), slides must never pile up on screen.
 */
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
  // Left alone, it settles on one slide lying over the one before it; none stays see-through.
  await expect(slides).toHaveCount(2);
  await expect
    .poll(() => slides.evaluateAll((els) => els.map((el) => getComputedStyle(el).opacity)))
    .toEqual(['1', '1']);
});
