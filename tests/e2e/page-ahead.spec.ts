/**
 * The next chapter's page is ready before the finger lifts: a press on Next
 * or Previous, or a drag across the stage, builds the neighbouring chapter's
 * page out of sight and decodes its picture, and the turn shows that very
 * page. Real touch input at 1920x1080 and 1080x1920.
 */
import type { CDPSession, Page } from '@playwright/test';
import { openChapter, openIllustratedPair } from './chapter-helpers.js';
import { expect, ORIENTATIONS, screenOf, test, type Orientation } from './kiosk-fixture.js';
import { switchOn } from './a11y-helpers.js';
import { centreOf, tap, tapOn, touchDown, touchUp } from './touch.js';

/** The page of chapter `index`, whatever its state. */
function pageOf(page: Page, index: number) {
  return page.locator(`.page[data-page="${index}"]`);
}

/** Whether the picture of chapter `index`'s page is loaded and decoded. */
function pictureReady(page: Page, index: number): Promise<boolean> {
  return pageOf(page, index)
    .locator('.frame img')
    .evaluate(
      (img: HTMLImageElement) => img.complete && img.naturalWidth > 0 && img.hasAttribute('data-decoded'),
    );
}

/** Marks chapter `index`'s picture element, to tell later whether the page shown is the same one. */
async function markPicture(page: Page, index: number): Promise<void> {
  await pageOf(page, index)
    .locator('.frame img')
    .evaluate((img) => img.setAttribute('data-probe', 'built-ahead'));
}

/** What the pager says and which chapter the page on screen is. */
async function expectOnScreen(page: Page, index: number): Promise<void> {
  await expect(page.getByTestId('chapter')).toHaveCount(1);
  await expect(page.getByTestId('chapter')).toHaveAttribute('data-index', String(index));
  await expect(page.getByTestId('position')).toHaveText(String(index + 1));
}

async function raw(page: Page): Promise<CDPSession> {
  return page.context().newCDPSession(page);
}

for (const orientation of Object.keys(ORIENTATIONS) as Orientation[]) {
  test.describe(`the next page, built ahead (${orientation})`, () => {
    test.use({ orientation });

    test('a finger on Next decodes the next picture before it lifts, and the turn shows that very page', async ({
      kiosk: page,
      preview,
    }) => {
      const errors: string[] = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      const { exhibit, at } = await openIllustratedPair(page, preview.url);

      await touchDown(page, await centreOf(page, '[data-testid=next]'));
      // The finger is still down: the next chapter's picture is decoded in its page, out of sight.
      await expect.poll(() => pictureReady(page, at + 1)).toBe(true);
      await expect(pageOf(page, at + 1)).not.toBeInViewport();
      await expect(pageOf(page, at + 1)).toHaveAttribute('aria-hidden', 'true');
      await expect(pageOf(page, at + 1)).toHaveJSProperty('inert', true);
      await expect(page.getByRole('heading', { name: exhibit.chapters[at + 1]!.title.en! })).toHaveCount(0);
      // ...while the chapter on screen, and the one announced, is still the one the visitor reads.
      await expectOnScreen(page, at);
      await expect(page.getByTestId('chapter-title')).toHaveText(exhibit.chapters[at]!.title.en!);
      await markPicture(page, at + 1);

      await touchUp(page);
      await expectOnScreen(page, at + 1);
      await expect(page.getByTestId('chapter-title')).toHaveText(exhibit.chapters[at + 1]!.title.en!);
      // The page on screen is the one built during the press: no second build, no second decode.
      await expect(page.getByTestId('chapter-image').locator('img')).toHaveAttribute(
        'data-probe',
        'built-ahead',
      );
      await expect(page.getByTestId('chapter-image').locator('img')).toHaveAttribute('data-decoded', '');
      await expect(page.locator('[data-leaving]')).toHaveCount(0);
      await expect(page.getByTestId('chapter-image')).toBeVisible();
      expect(errors).toEqual([]);
    });

    test('a drag across the stage brings the next page in under the finger, and lifting turns to it', async ({
      kiosk: page,
      preview,
    }) => {
      const { at } = await openIllustratedPair(page, preview.url);
      const stage = (await page.getByTestId('stage').boundingBox())!;
      const y = stage.y + stage.height * 0.6;
      const from = stage.x + stage.width * 0.8;
      const cdp = await raw(page);
      const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', x?: number) =>
        cdp.send('Input.dispatchTouchEvent', { type, touchPoints: x === undefined ? [] : [{ x, y }] });

      await touch('touchStart', from);
      for (let dx = 20; dx <= 400; dx += 20) await touch('touchMove', from - dx);
      await expect(pageOf(page, at + 1)).toBeInViewport();
      // Both pages follow the finger, edge to edge.
      await expect
        .poll(async () => Math.round((await pageOf(page, at + 1).boundingBox())!.x - stage.x))
        .toBe(Math.round(stage.width - 400));
      expect(Math.round((await pageOf(page, at).boundingBox())!.x - stage.x)).toBe(-400);
      await expect.poll(() => pictureReady(page, at + 1)).toBe(true);
      // Still the same chapter until the finger lifts.
      await expectOnScreen(page, at);
      await page.screenshot({ path: test.info().outputPath(`mid-swipe-${orientation}.png`) });
      await markPicture(page, at + 1);

      // The turn goes on from where the finger left the pages: the slide's first frame has the new
      // page where the drag had brought it, not back at the stage's edge.
      await page.evaluate((i) => {
        const el = document.querySelector<HTMLElement>(`.page[data-page="${i}"]`)!;
        const stageX = el.parentElement!.getBoundingClientRect().x;
        // The first frame after the finger lifts, the one the slide starts in.
        addEventListener(
          'touchend',
          () =>
            requestAnimationFrame(() => {
              (window as { __startX?: number }).__startX = el.getBoundingClientRect().x - stageX;
            }),
          { once: true, capture: true },
        );
      }, at + 1);
      await touch('touchEnd');
      const startX = await page.waitForFunction(() => (window as { __startX?: number }).__startX);
      expect(await startX.jsonValue()).toBeLessThan(stage.width - 400 + 40);
      await expectOnScreen(page, at + 1);
      await expect(page.getByTestId('chapter-image').locator('img')).toHaveAttribute(
        'data-probe',
        'built-ahead',
      );
      await expect(page.locator('[data-leaving]')).toHaveCount(0);
      await expect
        .poll(async () => Math.round((await page.locator('.page:not([data-prepared])').boundingBox())!.x))
        .toBe(Math.round(stage.x));
      await page.screenshot({ path: test.info().outputPath(`after-swipe-${orientation}.png`) });
    });
  });
}

test.describe('the next page, built ahead', () => {
  test('a drag that does not turn the page springs both pages back, with the neighbour out of sight', async ({
    kiosk: page,
    preview,
  }) => {
    const { at } = await openIllustratedPair(page, preview.url);
    const stage = (await page.getByTestId('stage').boundingBox())!;
    const y = stage.y + stage.height * 0.6;
    const from = stage.x + stage.width * 0.5;
    const cdp = await raw(page);
    const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', x?: number) =>
      cdp.send('Input.dispatchTouchEvent', { type, touchPoints: x === undefined ? [] : [{ x, y }] });
    await touch('touchStart', from);
    for (let dx = 10; dx <= 100; dx += 10) await touch('touchMove', from + dx);
    await expect(pageOf(page, at - 1)).toBeInViewport();
    // Back to where it began, slowly: no swipe.
    for (let dx = 90; dx >= 0; dx -= 10) await touch('touchMove', from + dx);
    await page.waitForTimeout(600);
    await touch('touchEnd');
    await expectOnScreen(page, at);
    // Once the spring is over, not merely while it runs.
    await expect(page.locator('[data-peek]')).toHaveCount(0);
    await expect
      .poll(() =>
        page.evaluate(
          () =>
            document.getAnimations().filter((a) => (a.effect as KeyframeEffect).target?.closest('.page'))
              .length,
        ),
      )
      .toBe(0);
    await expect(pageOf(page, at - 1)).not.toBeInViewport();
    await expect
      .poll(async () => Math.round((await pageOf(page, at).boundingBox())!.x))
      .toBe(Math.round(stage.x));
  });

  test('a page built ahead is drawn while out of sight, so the drag that reveals it draws nothing new', async ({
    kiosk: page,
    preview,
  }) => {
    // Drawing a whole page takes longer than a frame on a PC that draws on the CPU: done in the
    // frame that first reveals it, it held back the first movement of every swipe.
    const { at } = await openIllustratedPair(page, preview.url);
    const cdp = await raw(page);
    let layers: { layerId: string; parentLayerId?: string; backendNodeId?: number; paintCount: number }[] =
      [];
    cdp.on('LayerTree.layerTreeDidChange', (e) => {
      if (e.layers) layers = e.layers;
    });
    await cdp.send('LayerTree.enable');
    // Focus on Next builds the next page as a press does, without a finger that would turn to it.
    await page.getByTestId('next').focus();
    await expect.poll(() => pictureReady(page, at + 1)).toBe(true);
    await expect(pageOf(page, at + 1)).not.toBeInViewport();
    const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
    const { nodeId } = await cdp.send('DOM.querySelector', {
      nodeId: root.nodeId,
      selector: `.page[data-page="${at + 1}"]`,
    });
    const pageNode = (await cdp.send('DOM.describeNode', { nodeId })).node.backendNodeId;
    /** Paints of the built page's layer and every layer inside it, by layer. */
    const paints = () => {
      const own = layers.find((l) => l.backendNodeId === pageNode);
      if (!own) return null;
      const inside = new Set([own.layerId]);
      for (let grew = true; grew;) {
        grew = false;
        for (const l of layers)
          if (l.parentLayerId && inside.has(l.parentLayerId) && !inside.has(l.layerId)) {
            inside.add(l.layerId);
            grew = true;
          }
      }
      return Object.fromEntries(
        layers.filter((l) => inside.has(l.layerId)).map((l) => [l.layerId, l.paintCount]),
      );
    };
    await expect.poll(() => Object.values(paints() ?? {}).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    await page.waitForTimeout(300);
    const before = paints();

    // And a moving finger changes nothing on the pages but where they are (and which one peeks):
    // any attribute set again on a page, even to the value it had, restyles all of it each frame.
    await page.evaluate(() => {
      const w = window as unknown as { __touched: Set<string> };
      w.__touched = new Set();
      new MutationObserver((records) => {
        for (const r of records)
          if ((r.target as Element).matches('.page')) w.__touched.add(r.attributeName!);
      }).observe(document.querySelector('[data-testid=stage]')!, { subtree: true, attributes: true });
    });

    const stage = (await page.getByTestId('stage').boundingBox())!;
    const y = stage.y + stage.height * 0.6;
    const from = stage.x + stage.width * 0.8;
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: from, y }] });
    for (let dx = 20; dx <= 400; dx += 20)
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: from - dx, y }] });
    await expect(pageOf(page, at + 1)).toBeInViewport();
    await page.waitForTimeout(300);
    expect(paints()).toEqual(before);
    const touched = await page.evaluate(() => [
      ...(window as unknown as { __touched: Set<string> }).__touched,
    ]);
    expect(touched.sort()).toEqual(['data-peek', 'style']);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await expectOnScreen(page, at + 1);
  });

  for (const mode of ['largeText', 'highContrast'] as const) {
    test(`in ${mode}, a page built ahead looks as it will once turned to`, async ({
      kiosk: page,
      preview,
    }) => {
      const { at } = await openIllustratedPair(page, preview.url);
      /** What the access modes change on a chapter's page, read from chapter `index`'s page. */
      const looks = (index: number) =>
        pageOf(page, index).evaluate((el) => {
          const style = (selector: string, ...props: string[]) => {
            const found = el.querySelector(selector);
            if (!found) return null;
            const cs = getComputedStyle(found);
            return props.map((p) => cs.getPropertyValue(p)).join(' | ');
          };
          return {
            caption: style('.caption', 'font-size'),
            credit: style('.credit', 'font-size'),
            source: style('.source', 'font-size'),
            text: style('.text', 'mask-image'),
            tag: style('.tag', 'background-color', 'color'),
            zoom: style('.zoom-badge', 'background-color', 'color'),
          };
        });
      const plain = await looks(at);
      await switchOn(page, mode);
      // The mode does change the page on screen.
      expect(await looks(at)).not.toEqual(plain);
      await touchDown(page, await centreOf(page, '[data-testid=next]'));
      await expect.poll(() => pictureReady(page, at + 1)).toBe(true);
      const ahead = await looks(at + 1);
      await touchUp(page);
      await expectOnScreen(page, at + 1);
      const shown = await looks(at + 1);
      expect(shown.caption, 'the page has a caption to compare').not.toBeNull();
      expect(ahead).toEqual(shown);
    });
  }

  test('a flood of presses never leaves more than the two neighbours built, and none outlives the screen', async ({
    kiosk: page,
    preview,
  }) => {
    const { at } = await openIllustratedPair(page, preview.url);
    const cdp = await raw(page);
    const next = await centreOf(page, '[data-testid=next]');
    const prev = await centreOf(page, '[data-testid=prev]');
    const built = () =>
      page.evaluate(() =>
        [...document.querySelectorAll('.page')].map((p) => Number((p as HTMLElement).dataset.page)),
      );

    // Fingers that go down and are cancelled (or slide off) never turn the page...
    for (let i = 0; i < 30; i++) {
      const p = i % 2 ? prev : next;
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: p.x, y: p.y }] });
      if (i % 3 === 0) await cdp.send('Input.dispatchTouchEvent', { type: 'touchCancel', touchPoints: [] });
      else {
        await cdp.send('Input.dispatchTouchEvent', {
          type: 'touchMove',
          touchPoints: [{ x: p.x, y: p.y - 300 }],
        });
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
      }
      expect((await built()).length).toBeLessThanOrEqual(3);
    }
    await expectOnScreen(page, at);
    await expect.poll(async () => (await built()).sort((a, b) => a - b)).toEqual([at - 1, at, at + 1]);

    // ...and a flood of real taps turns page after page with never more than one page sliding away.
    for (let i = 0; i < 12; i++) {
      await tap(page, next);
      expect((await built()).length).toBeLessThanOrEqual(4);
    }
    const shown = Number(await page.getByTestId('chapter').getAttribute('data-index'));
    expect(shown).toBeGreaterThan(at);
    await expect(page.locator('[data-leaving]')).toHaveCount(0);
    const rest = (await built()).filter((i) => i !== shown);
    expect(rest.length).toBeLessThanOrEqual(2);
    for (const i of rest) expect(Math.abs(i - shown)).toBe(1);

    await tapOn(page, '[data-testid=home-button]');
    await expect(screenOf(page)).toHaveAttribute('data-screen', 'home');
    await expect(page.locator('.page')).toHaveCount(0);
  });

  test('Enter on a focused Next shows the page built when it took focus', async ({
    kiosk: page,
    preview,
  }) => {
    const { at } = await openIllustratedPair(page, preview.url);
    await page.getByTestId('next').focus();
    await expect.poll(() => pictureReady(page, at + 1)).toBe(true);
    await markPicture(page, at + 1);
    await page.keyboard.press('Enter');
    await expectOnScreen(page, at + 1);
    await expect(page.getByTestId('chapter-image').locator('img')).toHaveAttribute(
      'data-probe',
      'built-ahead',
    );
    await page.keyboard.press('Space');
    await expectOnScreen(page, at + 2);
  });

  test('with reduced motion the turn is instant and a drag reveals nothing', async ({
    kiosk: page,
    preview,
  }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.reload();
    const { at } = await openIllustratedPair(page, preview.url);
    await touchDown(page, await centreOf(page, '[data-testid=next]'));
    await expect.poll(() => pictureReady(page, at + 1)).toBe(true);
    await markPicture(page, at + 1);
    await touchUp(page);
    await expectOnScreen(page, at + 1);
    await expect(page.getByTestId('chapter-image').locator('img')).toHaveAttribute(
      'data-probe',
      'built-ahead',
    );
    await expect(page.locator('[data-leaving]')).toHaveCount(0);
    expect(
      await page.evaluate(
        () =>
          document.getAnimations().filter((a) => (a.effect as KeyframeEffect).target?.closest('.page'))
            .length,
      ),
    ).toBe(0);

    const stage = (await page.getByTestId('stage').boundingBox())!;
    const y = stage.y + stage.height * 0.6;
    const cdp = await raw(page);
    const from = stage.x + stage.width * 0.8;
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: from, y }] });
    for (let dx = 20; dx <= 200; dx += 20)
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: from - dx, y }] });
    await page.waitForTimeout(200);
    await expect(page.locator('[data-peek]')).toHaveCount(0);
    for (const i of [at, at + 2]) await expect(pageOf(page, i)).not.toBeInViewport();
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchCancel', touchPoints: [] });
    await expectOnScreen(page, at + 1);
  });
});

test.describe('the next page, built ahead, and the visit', () => {
  test('a language switch while the finger is down turns to the built page, in the new language', async ({
    kiosk: page,
    preview,
  }) => {
    const { exhibit, at } = await openIllustratedPair(page, preview.url);
    const cdp = await raw(page);
    const next = await centreOf(page, '[data-testid=next]');
    const ru = await centreOf(page, '[data-testid=lang-switch] [data-lang=ru]');
    const fingers = (...pts: { x: number; y: number; id: number }[]) => pts;
    await cdp.send('Input.dispatchTouchEvent', {
      type: 'touchStart',
      touchPoints: fingers({ ...next, id: 1 }),
    });
    await expect.poll(() => pictureReady(page, at + 1)).toBe(true);
    await markPicture(page, at + 1);
    // The language changes while the finger still rests on Next (a second input: the mouse staff use).
    await page.mouse.click(ru.x, ru.y);
    await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
    await expectOnScreen(page, at);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await expectOnScreen(page, at + 1);
    await expect(page.getByTestId('chapter-title')).toHaveText(exhibit.chapters[at + 1]!.title.ru!);
    await expect(page.getByTestId('chapter-image').locator('img')).toHaveAttribute(
      'data-probe',
      'built-ahead',
    );
  });
});

test.describe('the next page, built ahead, at the ends', () => {
  test('the first chapter has nothing to reveal: a drag only leans the page, and it comes back', async ({
    kiosk: page,
  }) => {
    await openChapter(page, 0);
    await expect(page.getByTestId('prev')).toBeDisabled();
    const stage = (await page.getByTestId('stage').boundingBox())!;
    const y = stage.y + stage.height * 0.6;
    const from = stage.x + stage.width * 0.3;
    const cdp = await raw(page);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: from, y }] });
    for (let dx = 20; dx <= 300; dx += 20)
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: from + dx, y }] });
    // The page leans a third of the way with the finger, and no page is built for a chapter before the first.
    await expect
      .poll(async () => Math.round((await pageOf(page, 0).boundingBox())!.x - stage.x))
      .toBe(Math.round(300 * 0.35));
    await expect(page.locator('.page')).toHaveCount(1);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await expectOnScreen(page, 0);
    await expect
      .poll(async () => Math.round((await pageOf(page, 0).boundingBox())!.x))
      .toBe(Math.round(stage.x));
    await expect(page.locator('.page')).toHaveCount(1);
  });
});
