/**
 * The attract loop runs unattended for months: however its timers bunch (a loaded machine
 * fires several late intervals back to back), slides must never pile up on screen.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, ORIENTATIONS, test } from './kiosk-fixture.js';

test.use({ viewport: ORIENTATIONS.landscape });

/**
 * Opens the kiosk on Playwright's fake clock (installed before the page loads, so the loop's
 * timers run on it) and returns how long each attract slide stays, in ms.
 */
async function openOnFakeClock(page: Page, url: string): Promise<number> {
  await page.clock.install();
  await page.goto(url);
  await expect(page.getByTestId('attract')).toBeVisible();
  return page.evaluate(
    async () => (await (await fetch('/api/exhibit')).json()).exhibit.settings.attractSecondsPerSlide * 1000,
  );
}

test('after many slide changes, bunched or not, at most two slides exist', async ({ page, preview }) => {
  const dwell = await openOnFakeClock(page, preview.url);
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
  // Left alone, it settles on one slide, fully shown, nothing of it see-through: the one before
  // it leaves once covered, so neither its words (two captions would show through each other)
  // nor its picture are drawn any more.
  await page.clock.runFor(2000);
  await expect(slides).toHaveCount(1);
  await expect.poll(() => shown(slides.last())).toEqual([true, true]);
});

const shown = (slide: Locator) =>
  slide.locator('[data-fades]').evaluateAll((els) =>
    els.map((el) => {
      const style = getComputedStyle(el);
      return style.visibility === 'visible' && style.opacity === '1';
    }),
  );

test('a slide going away is out of reach at once, and the next one until its turn', async ({
  page,
  preview,
}) => {
  const dwell = await openOnFakeClock(page, preview.url);
  const slides = page.getByTestId('attract-slide');
  // The page's clock has run on its own since it loaded: stop it, then step it to just after a
  // slide change (two slides lie on the screen until the new one covers the old).
  // A second ahead: on a loaded machine more than 100 ms can pass before the pause lands, and the clock
  // cannot be paused in its past.
  await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1000);
  for (let ms = 0; ms <= dwell && (await slides.count()) < 2; ms += 200) await page.clock.runFor(200);
  // Halfway through a slide the next one is built ahead: not drawn, not read out, not touched.
  await page.clock.runFor(dwell * 0.6);
  const next = page.locator('[data-testid=attract] .slide:not([data-testid])');
  await expect(next).toHaveCount(1);
  await expect(next).toBeHidden();
  await expect(next).toHaveAttribute('inert', '');
  const upcoming = await next.locator('h2').textContent();
  // Its turn: it is the slide on top, and the one it covers can no longer be read out or touched.
  await page.clock.runFor(dwell * 0.4);
  await expect(slides).toHaveCount(2);
  await expect(slides.last().locator('h2')).toHaveText(upcoming!);
  await expect(slides.last()).not.toHaveAttribute('inert');
  await expect(slides.first()).toHaveAttribute('inert', '');
  // What a screen reader is given: the new slide's heading alone.
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  const headings = nodes
    .filter((n) => !n.ignored && n.role?.value === 'heading')
    .filter((n) => n.properties?.some((p) => p.name === 'level' && p.value.value === 2))
    .map((n) => n.name?.value);
  expect(headings).toEqual([upcoming]);
});

test('a slide change animates only what the compositor draws by itself', async ({ page, preview }) => {
  // Opacity and movement are drawn by the compositor alone; anything else animated (visibility,
  // a colour) has the page restyled on the main thread every frame of it, and a slow PC then
  // misses frames while the slides cross-fade.
  const dwell = await openOnFakeClock(page, preview.url);
  const animated = () =>
    page.evaluate(() =>
      document
        .getAnimations()
        .filter((a) => a.playState === 'running')
        .flatMap((a) => (a.effect as KeyframeEffect).getKeyframes().flatMap((k) => Object.keys(k)))
        .filter((p) => !['offset', 'computedOffset', 'easing', 'composite'].includes(p)),
    );
  const seen = new Set<string>();
  for (let i = 0; i < 4; i++) {
    await page.clock.runFor(dwell);
    // Early, midway and late in the cross-fade, in real time: the fake clock drives no CSS animation.
    for (const wait of [50, 450, 450]) {
      await page.waitForTimeout(wait);
      for (const p of await animated()) seen.add(p);
    }
  }
  // The cross-fades were caught running.
  expect(seen).toContain('opacity');
  expect([...seen].sort()).toEqual(['opacity', 'transform']);
});

test('the shade that keeps the words legible is drawn once, in a layer of its own, and not again at each turn', async ({
  page,
  preview,
}) => {
  // A picture's layer is drawn afresh at each turn; a shade painted into it would be drawn again
  // with it, which on a PC that draws on the CPU takes longer than a frame.
  const dwell = await openOnFakeClock(page, preview.url);
  const cdp = await page.context().newCDPSession(page);
  let layers: { layerId: string; backendNodeId?: number; paintCount: number; drawsContent: boolean }[] = [];
  cdp.on('LayerTree.layerTreeDidChange', (e) => {
    if (e.layers) layers = e.layers;
  });
  const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
  const backendOf = async (selector: string) => {
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    expect(nodeId, selector).toBeTruthy();
    return (await cdp.send('DOM.describeNode', { nodeId })).node.backendNodeId;
  };
  const shade = await backendOf('[data-testid=attract] .shade');
  await cdp.send('LayerTree.enable');
  const shadeLayer = async () => {
    await expect.poll(() => layers.some((l) => l.backendNodeId === shade)).toBe(true);
    return layers.find((l) => l.backendNodeId === shade)!;
  };
  const turn = async () => {
    await page.clock.runFor(dwell);
    await page.waitForTimeout(400);
    return page.getByTestId('attract-slide').last();
  };
  // Nothing inside a slide paints a gradient (a picture, a number, a caption's plate): the shade
  // is in no slide's layer, only in its own.
  const gradientsInSlides = () =>
    page.evaluate(() =>
      [...document.querySelectorAll('[data-testid=attract] .slide, [data-testid=attract] .slide *')].flatMap(
        (el) =>
          [null, '::before', '::after']
            .map((pseudo) => getComputedStyle(el, pseudo).backgroundImage)
            .filter((image) => image.includes('gradient')),
      ),
    );
  await turn();
  const first = await shadeLayer();
  expect(first.drawsContent).toBe(true);
  expect(first.paintCount).toBeGreaterThan(0);
  const pictures = new Set<string | null>();
  for (let i = 0; i < 6; i++) {
    const slide = await turn();
    if ((await slide.locator('img').count()) > 0) pictures.add(await slide.locator('h2').textContent());
    expect(await gradientsInSlides()).toEqual([]);
  }
  expect(pictures.size, 'pictures that came up').toBeGreaterThanOrEqual(3);
  const last = await shadeLayer();
  expect(last.layerId).toBe(first.layerId);
  expect(last.paintCount).toBe(first.paintCount);
  // Over the picture, under the words.
  const box = (await page.getByTestId('attract-slide').last().locator('h2').boundingBox())!;
  const order = await page.evaluate(
    ([x, y]) =>
      document
        .elementsFromPoint(x!, y!)
        .map((el) => (el.matches('.shade') ? 'shade' : el.tagName.toLowerCase())),
    [box.x + 4, box.y + box.height / 2],
  );
  expect(order.indexOf('shade')).toBeGreaterThan(order.indexOf('h2'));
  expect(order.indexOf('shade')).toBeLessThan(order.indexOf('img'));
});

for (const [motion, expected] of [
  ['cpu', 'moves in whole pixels, unscaled'],
  ['gpu', 'zooms smoothly'],
] as const) {
  test(`with motion=${motion} the attract picture ${expected}`, async ({ page, preview }) => {
    await page.goto(`${preview.url}?motion=${motion}`);
    await expect(page.getByTestId('attract')).toBeVisible();
    // The form is settled once the first screen is up.
    await expect(page.locator('html')).toHaveClass(/\bmotion-known\b/);
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
