/**
 * The visitor's journey through real touch input (CDP touch events), at
 * 1920x1080 landscape and 1080x1920 portrait: attract, home, chapters by tap,
 * swipe and buttons, the image viewer with pinch, pan and double tap, the
 * language switch and touch hygiene.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { parseDocument } from 'yaml';
import type { Exhibit } from '../../main/content/schema.js';
import { startPreview } from '../../main/cli/preview.js';
import { firstIllustrated, servedExhibit } from './exhibit-data.js';
import { expect, ORIENTATIONS, screenOf, test, type Orientation } from './kiosk-fixture.js';
import { centreOf, doubleTap, longPress, pinch, swipe, tap, tapOn, touchDown, touchUp } from './touch.js';

async function leaveAttract(page: Page) {
  await expect(page.getByTestId('attract')).toBeVisible();
  const { width, height } = page.viewportSize()!;
  await tap(page, { x: width / 2, y: height / 2 });
  await expect(screenOf(page)).toHaveAttribute('data-screen', 'home');
}

/** An element of the chapter page on screen (not one sliding away). */
function current(page: Page, testId: string) {
  return page.locator(`.page:not([data-leaving]) [data-testid=${testId}]`);
}

async function openChapter(page: Page, index: number) {
  await leaveAttract(page);
  await tapOn(page, `[data-testid=chapter-card] >> nth=${index}`);
  await expect(current(page, 'chapter')).toHaveAttribute('data-index', String(index));
}

/** The scale in the viewer image's computed transform. */
async function viewerScale(page: Page): Promise<number> {
  return page
    .getByTestId('viewer-image')
    .evaluate((el) => new DOMMatrixReadOnly(getComputedStyle(el).transform).a);
}

async function swipeStage(page: Page, direction: 'left' | 'right') {
  // Turn from a resting page, as a reader does; the stage's box, not the sliding page's.
  await expect(page.locator('[data-leaving]')).toHaveCount(0);
  const box = (await page.getByTestId('stage').boundingBox())!;
  const y = box.y + box.height * 0.6;
  const left = box.x + box.width * 0.15;
  const right = box.x + box.width * 0.85;
  if (direction === 'left') await swipe(page, { x: right, y }, { x: left, y });
  else await swipe(page, { x: left, y }, { x: right, y });
}

for (const orientation of Object.keys(ORIENTATIONS) as Orientation[]) {
  test.describe(`journey (${orientation})`, () => {
    test.use({ orientation });

    test('the attract loop invites a touch, and the first touch only leaves it', async ({ kiosk: page }) => {
      await expect(page.getByTestId('touch-to-explore')).toHaveText('Touch to explore');
      await expect(screenOf(page)).toHaveAttribute('data-screen', 'attract');
      // Find where home shows a chapter card, on a second page, then touch the attract loop right there.
      const probe = await page.context().newPage();
      await probe.goto(page.url());
      await leaveAttract(probe);
      const at = await centreOf(probe, '[data-testid=chapter-card] >> nth=2');
      await probe.close();
      await tap(page, at);
      await expect(page.getByTestId('home')).toBeVisible();
      const under = await page.evaluate(
        ({ x, y }) => document.elementFromPoint(x, y)?.closest('[data-testid=chapter-card]') !== null,
        at,
      );
      expect(under, 'the test point lies on a chapter card').toBe(true);
      // Give a stray synthesised click time to arrive, then check it changed nothing.
      await page.waitForTimeout(700);
      await expect(screenOf(page)).toHaveAttribute('data-screen', 'home');
    });

    test('home lists every chapter with its title and date, all in view', async ({
      kiosk: page,
      preview,
    }) => {
      const exhibit = await servedExhibit(preview.url);
      await leaveAttract(page);
      const cards = page.getByTestId('chapter-card');
      await expect(cards).toHaveCount(exhibit.chapters.length);
      for (const [i, chapter] of exhibit.chapters.entries()) {
        await expect(cards.nth(i)).toContainText(chapter.title.en!);
        await expect(cards.nth(i)).toContainText(chapter.dateLabel.en!);
        await expect(cards.nth(i)).toBeInViewport({ ratio: 1 });
      }
    });

    test('chapters turn by swipe and by buttons, and the position follows', async ({
      kiosk: page,
      preview,
    }) => {
      const exhibit = await servedExhibit(preview.url);
      await openChapter(page, 0);
      const title = current(page, 'chapter-title');
      const position = page.getByTestId('position');
      await expect(title).toHaveText(exhibit.chapters[0]!.title.en!);
      await expect(page.getByTestId('where')).toContainText(`/ ${exhibit.chapters.length}`);
      await expect(position).toHaveText('1');

      await swipeStage(page, 'left');
      await expect(position).toHaveText('2');
      await expect(title).toHaveText(exhibit.chapters[1]!.title.en!);
      await swipeStage(page, 'left');
      await expect(position).toHaveText('3');
      await swipeStage(page, 'right');
      await expect(position).toHaveText('2');

      await tapOn(page, '[data-testid=next]');
      await expect(position).toHaveText('3');
      await expect(title).toHaveText(exhibit.chapters[2]!.title.en!);
      await tapOn(page, '[data-testid=prev]');
      await expect(position).toHaveText('2');
      await expect(page.locator('.pager .dots span.on')).toHaveCount(1);
      expect(
        await page
          .locator('.pager .dots span')
          .evaluateAll((s) => s.findIndex((e) => e.classList.contains('on'))),
      ).toBe(1);

      await tapOn(page, '[data-testid=home-button]');
      await expect(page.getByTestId('home')).toBeVisible();
    });

    test('long text scrolls under a vertical drag without turning the page', async ({
      kiosk: page,
      preview,
    }) => {
      const exhibit = await servedExhibit(preview.url);
      const lengths = exhibit.chapters.map((c) => c.body.reduce((n, p) => n + p.en!.length, 0));
      const longest = lengths.indexOf(Math.max(...lengths));
      await openChapter(page, longest);
      const text = current(page, 'chapter-text');
      const [scrollHeight, clientHeight] = await text.evaluate((el) => [el.scrollHeight, el.clientHeight]);
      expect(scrollHeight, 'the longest chapter overflows its column').toBeGreaterThan(clientHeight!);
      const box = (await text.boundingBox())!;
      const x = box.x + box.width / 2;
      await swipe(page, { x, y: box.y + box.height * 0.8 }, { x, y: box.y + box.height * 0.2 });
      await expect.poll(() => text.evaluate((el) => el.scrollTop)).toBeGreaterThan(50);
      await expect(page.getByTestId('position')).toHaveText(String(longest + 1));
    });

    test('the viewer zooms by pinch and double tap, holds the chapter while zoomed, and returns to the same place', async ({
      kiosk: page,
      preview,
    }) => {
      const exhibit = await servedExhibit(preview.url);
      const index = firstIllustrated(exhibit);
      await openChapter(page, index);
      const text = current(page, 'chapter-text');
      await text.evaluate((el) => (el.scrollTop = 120));
      const scrolled = await text.evaluate((el) => el.scrollTop);

      await tapOn(page, '[data-testid=chapter-image]');
      await expect(page.getByTestId('viewer')).toBeVisible();
      await expect(page.getByTestId('viewer-caption')).toHaveText(
        exhibit.chapters[index]!.images[0]!.caption.en!,
      );
      expect(await viewerScale(page)).toBeCloseTo(1, 2);

      const centre = await centreOf(page, '[data-testid=viewer-image]');
      await pinch(page, centre, 120, 420);
      await expect.poll(() => viewerScale(page)).toBeGreaterThan(1.5);
      // Fingers lifted: the picture is no longer a compositor layer, so it is redrawn sharp.
      await expect(page.getByTestId('viewer-image')).toHaveCSS('will-change', 'auto');

      // One finger while zoomed pans the image; it does not leave the chapter or the viewer.
      await swipe(page, { x: centre.x + 200, y: centre.y }, { x: centre.x - 200, y: centre.y });
      await expect(page.getByTestId('viewer')).toBeVisible();
      await expect(current(page, 'chapter')).toHaveAttribute('data-index', String(index));
      expect(await viewerScale(page)).toBeGreaterThan(1.5);

      // Double tap: back to fitted, then in again.
      await doubleTap(page, centre);
      await expect.poll(() => viewerScale(page)).toBeCloseTo(1, 2);
      await doubleTap(page, centre);
      await expect.poll(() => viewerScale(page)).toBeGreaterThan(2);

      // A wide pinch stops at the viewer's deepest zoom.
      await pinch(page, centre, 60, 900);
      await expect.poll(() => viewerScale(page)).toBeCloseTo(5, 2);

      await tapOn(page, '[data-testid=viewer-close]');
      await expect(page.getByTestId('viewer')).toHaveCount(0);
      await expect(current(page, 'chapter')).toHaveAttribute('data-index', String(index));
      expect(await text.evaluate((el) => el.scrollTop)).toBe(scrolled);
    });

    test('placeholder plates are tagged, and a missing image file shows a quiet plate', async ({
      kiosk: page,
      preview,
    }) => {
      const exhibit = await servedExhibit(preview.url);
      const illustrated = exhibit.chapters.flatMap((c, i) => (c.images.length > 0 ? [i] : []));
      const [gone, shown] = [illustrated[0]!, illustrated[1] ?? illustrated[0]!];
      const missing = exhibit.chapters[gone]!.images[0]!;
      const gone404 = (src: string) =>
        page.route(`**/${src}`, (route) => route.fulfill({ status: 404, body: '' }));
      // This one image is gone from the host, its screen copies with it: a plate with the
      // caption, never a broken-image icon.
      for (const src of [missing.src, ...(missing.variants ?? []).map((v) => v.src)]) await gone404(src);
      await openChapter(page, gone);
      const broken = current(page, 'chapter-image').getByTestId('picture');
      await expect(broken).toHaveAttribute('data-broken', 'true');
      await expect(broken).toContainText('Image not available');
      await expect(broken).toContainText(missing.caption.en!);
      await expect(broken.locator('img')).toHaveCount(0);

      if (shown !== gone) {
        const image = exhibit.chapters[shown]!.images[0]!;
        await tapOn(page, '[data-testid=home-button]');
        await tapOn(page, `[data-testid=chapter-card] >> nth=${shown}`);
        const picture = current(page, 'chapter-image').getByTestId('picture');
        await expect
          .poll(() =>
            picture.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth),
          )
          .toBeGreaterThan(0);
        if (image.placeholder) {
          await expect(current(page, 'chapter-image').getByTestId('placeholder-tag')).toHaveText(
            'Placeholder — awaiting scan',
          );
        }
      }
    });

    test('a picture whose screen copies are gone shows its original', async ({ page, preview }) => {
      const exhibit = await servedExhibit(preview.url);
      const index = firstIllustrated(exhibit);
      const image = exhibit.chapters[index]!.images[0]!;
      expect(image.variants?.length, 'the bundled plates have screen copies').toBeGreaterThan(0);
      for (const v of image.variants!) {
        await page.route(`**/${v.src}`, (route) => route.fulfill({ status: 404, body: '' }));
      }
      await page.goto(preview.url);
      await openChapter(page, index);
      const img = current(page, 'chapter-image').locator('img');
      await expect
        .poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth))
        .toBeGreaterThan(0);
      expect(await img.evaluate((el: HTMLImageElement) => el.currentSrc)).toMatch(
        new RegExp(`/${image.src}$`),
      );
    });

    test('the language switch changes interface and content at once', async ({ kiosk: page, preview }) => {
      const exhibit = await servedExhibit(preview.url);
      await openChapter(page, 1);
      await expect(page.getByTestId('next')).toContainText('Next');
      await tapOn(page, '[data-testid=lang-switch] [data-lang=ru]');
      await expect(page.getByTestId('next')).toContainText('Далее');
      await expect(page.getByTestId('home-button')).toContainText('В начало');
      await expect(current(page, 'chapter-title')).toHaveText(exhibit.chapters[1]!.title.ru!);
      await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
      await tapOn(page, '[data-testid=lang-switch] [data-lang=en]');
      await expect(current(page, 'chapter-title')).toHaveText(exhibit.chapters[1]!.title.en!);
    });

    test('a long press selects no text', async ({ kiosk: page }) => {
      await openChapter(page, 0);
      const para = await centreOf(page, '[data-testid=chapter-text] .body p');
      await longPress(page, para);
      expect(await page.evaluate(() => window.getSelection()?.toString() ?? '')).toBe('');
      const userSelect = await page
        .locator('[data-testid=chapter-text] .body p')
        .first()
        .evaluate((el) => getComputedStyle(el).userSelect);
      expect(userSelect).toBe('none');
    });

    test('a control shows it is pressed while the finger is still on it', async ({ kiosk: page }) => {
      await openChapter(page, 0);
      const next = page.getByTestId('next');
      await expect(next).not.toHaveClass(/is-pressed/);
      await touchDown(page, await centreOf(page, '[data-testid=next]'));
      await expect(next).toHaveClass(/is-pressed/);
      expect(await next.evaluate((el) => getComputedStyle(el).transform)).not.toBe('none');
      await touchUp(page);
      await expect(next).not.toHaveClass(/is-pressed/);
      await expect(page.getByTestId('position')).toHaveText('2');
    });

    test('the frame after a tap shows the button pressed; the chapter turns just after', async ({
      kiosk: page,
    }) => {
      await openChapter(page, 0);
      // What the first frame after the finger lifts would draw, noted from inside that frame.
      await page.evaluate(() => {
        addEventListener(
          'pointerup',
          () =>
            requestAnimationFrame(() => {
              const w = window as unknown as { firstFrame: unknown };
              w.firstFrame = {
                pressed: document.querySelector('[data-testid=next]')?.classList.contains('is-pressed'),
                position: document.querySelector('[data-testid=position]')?.textContent,
              };
            }),
          { capture: true, once: true },
        );
      });
      await tapOn(page, '[data-testid=next]');
      await expect(page.getByTestId('position')).toHaveText('2');
      expect(await page.evaluate(() => (window as unknown as { firstFrame: unknown }).firstFrame)).toEqual({
        pressed: true,
        position: '1',
      });
    });

    test('every control is at least 48 px each way', async ({ kiosk: page, preview }) => {
      const exhibit = await servedExhibit(preview.url);
      const tooSmall = async (where: string) => {
        // A page built ahead is drawn beside the stage but cannot be touched: its buttons are not counted.
        const boxes = await page.locator('button:visible').evaluateAll((els) =>
          els
            .filter((el) => !el.closest('[inert]'))
            .map((el) => {
              const r = el.getBoundingClientRect();
              return {
                label: (el.textContent ?? '').trim() || el.getAttribute('aria-label'),
                w: r.width,
                h: r.height,
              };
            }),
        );
        expect(boxes.length, `${where} has buttons`).toBeGreaterThan(0);
        return boxes.filter((b) => b.w < 48 || b.h < 48).map((b) => `${where}: ${b.label} ${b.w}x${b.h}`);
      };
      const small: string[] = [];
      await leaveAttract(page);
      small.push(...(await tooSmall('home')));
      await tapOn(page, `[data-testid=chapter-card] >> nth=${firstIllustrated(exhibit)}`);
      await expect(current(page, 'chapter')).toBeVisible();
      small.push(...(await tooSmall('chapter')));
      await tapOn(page, '[data-testid=chapter-image]');
      await expect(page.getByTestId('viewer')).toBeVisible();
      small.push(...(await tooSmall('viewer')));
      expect(small).toEqual([]);
    });
  });
}

test.describe('sensitive material', () => {
  test('stays out of the unattended loop yet is one tap away on Home', async ({ page }) => {
    // A copy of the bundled exhibit with one chapter, and one image of another, marked sensitive.
    const dir = await mkdtemp(path.join(tmpdir(), 'vitrine-sensitive-'));
    await cp(fileURLToPath(new URL('../../assets/exhibit/', import.meta.url)), dir, { recursive: true });
    const doc = parseDocument(await readFile(path.join(dir, 'exhibit.yaml'), 'utf8'));
    const chapters = (doc.toJS() as Exhibit).chapters;
    const illustrated = chapters.map((c, i) => (c.images?.length ? i : -1)).filter((i) => i >= 0);
    const [hiddenChapter, hiddenImage] = [illustrated[0]!, illustrated[1]!];
    doc.setIn(['chapters', hiddenChapter, 'sensitive'], true);
    doc.setIn(['chapters', hiddenImage, 'images', 0, 'sensitive'], true);
    await writeFile(path.join(dir, 'exhibit.yaml'), doc.toString());

    const preview = await startPreview({ port: 0, open: false, quiet: true, watch: false, contentDir: dir });
    try {
      await page.setViewportSize(ORIENTATIONS.landscape);
      await page.goto(preview.url);
      await expect(page.getByTestId('attract')).toBeVisible();
      // One dot per slide: the sensitive chapter is not among them, the other chapters are.
      await expect(page.locator('[data-testid=attract] .dots span')).toHaveCount(chapters.length - 1);
      await expect(page.getByTestId('attract')).not.toContainText(chapters[hiddenChapter]!.title.en!);

      await page.getByTestId('attract').click();
      await expect(page.getByTestId('chapter-card')).toHaveCount(chapters.length);
      await page.getByTestId('chapter-card').nth(hiddenChapter).click();
      await expect(current(page, 'chapter-title')).toHaveText(chapters[hiddenChapter]!.title.en!);
      await expect(current(page, 'chapter-image')).toBeVisible();

      await page.getByTestId('home-button').click();
      await page.getByTestId('chapter-card').nth(hiddenImage).click();
      const src = chapters[hiddenImage]!.images[0]!.src;
      await expect(current(page, 'chapter-image').locator('img')).toHaveAttribute('src', new RegExp(src));
    } finally {
      await preview.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

test('a plain preview is asked only for what it serves: no 404 and no console error on a visit', async ({
  kiosk: page,
  preview,
}) => {
  const missing: string[] = [];
  const consoleErrors: string[] = [];
  page.on('response', (r) => {
    if (r.status() === 404) missing.push(new URL(r.url()).pathname);
  });
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  // From the first request: the staff layer and the content confirmation start with the page.
  await page.reload();
  await expect(page.getByTestId('attract')).toBeVisible();
  const { width, height } = page.viewportSize()!;
  await tap(page, { x: width / 2, y: height / 2 });
  const index = firstIllustrated(await servedExhibit(preview.url));
  await tapOn(page, `[data-testid=chapter-card] >> nth=${index}`);
  await expect(page.getByTestId('chapter-image')).toBeVisible();
  // Two frames after the content is drawn the page would confirm it to a kiosk host.
  await page.waitForTimeout(1500);
  expect(missing).toEqual([]);
  expect(consoleErrors).toEqual([]);
});
