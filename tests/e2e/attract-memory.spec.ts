/**
 * The attract loop turns a slide every few seconds for months. Each turn
 * builds the next slide ahead, out of sight, and drops the one it covered:
 * nothing may pile up. (A picture fetched ahead as an `<img>` with
 * viewport-relative `sizes` that never joins the document would stay
 * registered with the document's viewport listeners, and so alive, for the
 * life of the page: one per slide.)
 */
import { expect, ORIENTATIONS, test } from './kiosk-fixture.js';

test.use({ viewport: ORIENTATIONS.landscape, attractSeconds: 0.3 });

test('turning slide after slide keeps no element alive: each slide built ahead is let go', async ({
  kiosk: page,
}) => {
  const cdp = await page.context().newCDPSession(page);
  // Every element the page holds, in the document or not, after collecting garbage.
  const nodes = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Memory.getDOMCounters')).nodes;
  };
  // One round: every slide at 0.3 s, and a second to spare.
  const round = (await page.locator('[data-testid=attract] .dots span').count()) * 300 + 1000;
  expect(round).toBeGreaterThan(2000);
  // The fewest over a whole round of the loop: a sample taken while the next slide is being built,
  // or before the covered one has gone, counts one slide too many, and a picture slide has more
  // elements than a numbered one (the endurance bench sees the count move by 16 between samples).
  // Over a whole round every slide has been up, so the fewest is the same from round to round,
  // while anything that piles up raises it. Samples span a round and a half: on a loaded machine
  // each takes a while, and one round's samples can all miss the leanest slide.
  const fewest = async () => {
    const seen: number[] = [];
    const until = Date.now() + round * 1.5;
    while (Date.now() < until || seen.length < 12) {
      seen.push(await nodes());
      await page.waitForTimeout(60);
    }
    return Math.min(...seen);
  };
  const slides = () => page.evaluate(() => document.querySelectorAll('[data-testid=attract-slide]').length);
  expect(await slides()).toBeGreaterThan(0);
  // Once round the loop first, so every slide's elements have existed once.
  await page.waitForTimeout(6000);
  const before = await fewest();
  // About a hundred more turns. Allowed: one step of the count between slides (about 14 elements),
  // for samples that all missed the leanest. A picture kept per picture slide adds some sixty.
  await page.waitForTimeout(30_000);
  expect(await fewest()).toBeLessThanOrEqual(before + 16);
});
