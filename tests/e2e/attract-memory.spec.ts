/**
 * The attract loop turns a slide every few seconds for months. Each turn
 * fetches the next slide's picture ahead, off screen; that element must be let
 * go when the next one replaces it. An `<img>` with viewport-relative `sizes`
 * that never joins a document stays registered with the document's viewport
 * listeners, and so alive, for the life of the page: one per slide.
 */
import { expect, ORIENTATIONS, test } from './kiosk-fixture.js';

test.use({ viewport: ORIENTATIONS.landscape, attractSeconds: 0.3 });

test('turning slide after slide keeps no picture alive: the one fetched ahead is let go', async ({
  kiosk: page,
}) => {
  const cdp = await page.context().newCDPSession(page);
  // Every element the page holds, in the document or not, after collecting garbage.
  const nodes = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Memory.getDOMCounters')).nodes;
  };
  const slides = () => page.evaluate(() => document.querySelectorAll('[data-testid=attract-slide]').length);
  expect(await slides()).toBeGreaterThan(0);
  // Once round the loop first, so every slide's elements have existed once.
  await page.waitForTimeout(6000);
  const before = await nodes();
  // About forty more turns.
  await page.waitForTimeout(12_000);
  expect(await nodes()).toBeLessThanOrEqual(before + 8);
  // One picture is fetched ahead at a time, hidden.
  expect(await page.locator('[data-testid=attract] .warm img').count()).toBeLessThanOrEqual(1);
});
