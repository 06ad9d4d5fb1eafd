/**
 * Placeholder plates reach the screen as raster copies (cheap to draw, every
 * frame of the attract loop and every chapter turn), sharp enough for the
 * screen they are on, and looking exactly like the plate itself; the viewer,
 * which zooms, draws the vector plate.
 */
import type { Page } from '@playwright/test';
import { attractSlides } from '../../src/lib/attract.js';
import { firstIllustrated, servedExhibit } from './exhibit-data.js';
import { expect, ORIENTATIONS, screenOf, test, type Orientation } from './kiosk-fixture.js';
import { tap, tapOn } from './touch.js';

/** The copy's own width, from its name (`name.1920.webp`), or 0 for an original. */
const copyWidth = (src: string) => Number(/\.(\d+)\.webp$/.exec(src)?.[1] ?? 0);

/** The picture on top of the attract loop, once the loop reaches one that has a picture. */
async function attractPicture(page: Page) {
  const img = page.getByTestId('attract-slide').last().locator('.kenburns img');
  for (let i = 0; i < 20 && !(await img.count()); i++) await page.clock.runFor(10_000);
  await expect(img).toHaveCount(1);
  await expect
    .poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0))
    .toBe(true);
  return img;
}

for (const orientation of Object.keys(ORIENTATIONS) as Orientation[]) {
  test(`the attract loop draws a plate from a copy as wide as the screen needs (${orientation})`, async ({
    page,
    preview,
  }) => {
    await page.setViewportSize(ORIENTATIONS[orientation]);
    await page.clock.install();
    await page.goto(preview.url);
    const img = await attractPicture(page);
    const { src, drawn } = await img.evaluate((el: HTMLImageElement) => {
      const box = el.getBoundingClientRect();
      // object-fit: cover draws the whole picture at the larger of the two scales.
      const scale = Math.max(box.width / el.naturalWidth, box.height / el.naturalHeight);
      return { src: el.currentSrc, drawn: el.naturalWidth * scale };
    });
    expect(src).toMatch(/\/media\/_screen\/plates\/.+\.webp$/);
    // Never enlarged so far that the plate's words go soft (the slow drift adds a little).
    expect(copyWidth(src)).toBeGreaterThanOrEqual(drawn * 0.9);
  });
}

test.describe('the attract loop', () => {
  test.use({ viewport: ORIENTATIONS.landscape });

  test('fetches the next slide’s picture while the slide before it still shows', async ({
    page,
    preview,
  }) => {
    const exhibit = await servedExhibit(preview.url);
    const slides = attractSlides(exhibit);
    const dwell = exhibit.settings.attractSecondsPerSlide * 1000;
    // The first slide followed by one with a picture.
    const before = slides.findIndex((s, i) => i + 1 < slides.length && slides[i + 1]!.image);
    expect(before, 'the loop has a picture slide after another slide').toBeGreaterThanOrEqual(0);
    const next = slides[before + 1]!.image!;
    const files = new Set([next.src, ...(next.variants ?? []).map((v) => v.src)].map((src) => `/${src}`));
    const fetched: string[] = [];
    page.on('request', (r) => fetched.push(new URL(r.url()).pathname));

    // Time stands still from the page's first moment and only the test moves it on, a tenth of a
    // second at a time until the loop shows: however slowly a loaded machine starts the page, the
    // first slide has been up a tenth of a second at most when the test starts counting.
    const start = Date.now();
    await page.clock.install({ time: start });
    await page.clock.pauseAt(start + 1000);
    await page.goto(preview.url);
    await expect
      .poll(async () => {
        if (await page.getByTestId('attract').isVisible()) return true;
        await page.clock.runFor(100);
        return false;
      })
      .toBe(true);
    await page.clock.runFor(before * dwell + dwell * 0.25);
    const title = page.getByTestId('attract-slide').last().locator('h2');
    await expect(title).toHaveText(slides[before]!.chapter.title.en!);
    expect(
      fetched.filter((f) => files.has(f)),
      'not yet: the loop does not fetch everything at once',
    ).toEqual([]);
    await page.clock.runFor(dwell * 0.5);
    await expect(title).toHaveText(slides[before]!.chapter.title.en!);
    await expect.poll(() => fetched.some((f) => files.has(f))).toBe(true);
  });
});

test.describe('plates in a chapter and in the viewer', () => {
  test.use({ viewport: ORIENTATIONS.landscape });

  test('a chapter shows the copy; the viewer zooms the vector plate', async ({ kiosk: page, preview }) => {
    const illustrated = firstIllustrated(await servedExhibit(preview.url));
    const { width, height } = page.viewportSize()!;
    await tap(page, { x: width / 2, y: height / 2 });
    await expect(screenOf(page)).toHaveAttribute('data-screen', 'home');
    await tapOn(page, `[data-testid=chapter-card] >> nth=${illustrated}`);
    const img = page.locator('.page:not([data-leaving]) [data-testid=chapter-image] img');
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.currentSrc)).toMatch(/\.1920\.webp$/);

    await tapOn(page, '.page:not([data-leaving]) [data-testid=chapter-image]');
    const zoomed = page.getByTestId('viewer-image').locator('img');
    await expect
      .poll(() => zoomed.evaluate((el: HTMLImageElement) => el.currentSrc))
      .toMatch(/\/media\/plates\/.+\.svg$/);
  });

  test('every copy looks like the plate the browser draws', async ({ kiosk: page, preview }) => {
    // Decodes and samples sixteen full-size pictures in the page: minutes, not seconds, on a busy 2-core machine.
    test.slow();
    const pairs = (await servedExhibit(preview.url)).chapters
      .flatMap((c) => c.images)
      .filter((i) => i.placeholder)
      .map((i) => ({ plate: i.src, copy: i.variants?.find((v) => v.width === 1920)?.src ?? '' }));
    expect(pairs.length).toBeGreaterThan(1);
    const tones = new Map<string, number[]>();
    for (const src of pairs.flatMap((p) => [p.plate, p.copy])) {
      expect(src, 'every plate has a 1920 copy').not.toBe('');
      tones.set(src, await page.evaluate(toneMap, src));
    }
    const worst = (a: string, b: string) =>
      Math.max(...tones.get(a)!.map((v, i) => Math.abs(v - tones.get(b)![i]!)));
    for (const { plate, copy } of pairs)
      expect(worst(plate, copy), `${copy} matches ${plate}`).toBeLessThan(12);
    // The measure is not blind: another plate's copy (other words, same card) is far off.
    expect(worst(pairs[0]!.plate, pairs[1]!.copy)).toBeGreaterThan(24);
  });
});

/**
 * Runs in the page: the image drawn at 1920x1440, as the mean tone of each
 * 16x16 patch. Text set a fraction of a pixel apart (the browser hints its
 * glyphs, the copy's outlines are not) averages out; a missing, moved or
 * different word does not.
 */
async function toneMap(src: string): Promise<number[]> {
  const [W, H, P] = [1920, 1440, 16];
  const img = new Image();
  img.src = `/${src}`;
  await img.decode();
  const draw = () => {
    const ctx = new OffscreenCanvas(W, H).getContext('2d')!;
    ctx.drawImage(img, 0, 0, W, H);
    return ctx.getImageData(0, 0, W, H).data;
  };
  // An SVG's embedded fonts load after it decodes: draw it on the page until the drawing settles.
  document.body.append(img);
  let data = draw();
  for (let i = 0; i < 30; i++) {
    await new Promise((r) => setTimeout(r, 200));
    const next = draw();
    const settled = next.every((v, j) => v === data[j]);
    data = next;
    if (settled) break;
  }
  img.remove();
  const tones: number[] = [];
  for (let y = 0; y < H; y += P) {
    for (let x = 0; x < W; x += P) {
      let sum = 0;
      for (let dy = 0; dy < P; dy++) {
        for (let dx = 0; dx < P; dx++) {
          const i = ((y + dy) * W + x + dx) * 4;
          sum += data[i]! + data[i + 1]! + data[i + 2]!;
        }
      }
      tones.push(sum / (P * P * 3));
    }
  }
  return tones;
}
