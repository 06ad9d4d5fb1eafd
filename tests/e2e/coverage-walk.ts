/**
 * A visitor's walk through every screen of the kiosk by touch: attract, home,
 * each chapter in turn by Next (each of its images, optionally in the image
 * viewer), then the timeline, in numbers, the map and credits. At each resting
 * screen the walk calls back, so one walk serves text coverage and overflow.
 */
import type { Page } from '@playwright/test';
import { expect, screenOf } from './kiosk-fixture';
import { settle } from './coverage-collect';
import { tap, tapOn } from './touch';

/** The extra screens, in the order home offers them. */
export const EXTRAS = ['timeline', 'numbers', 'map', 'credits'] as const;

/** Options of a walk. */
export interface WalkOptions {
  lang: string;
  /** Also open each image in the full-screen viewer. */
  viewer?: boolean;
  /** Called on the attract loop before the first touch. */
  onAttract?: () => Promise<void>;
}

/** Taps an element after bringing it into view, as a visitor scrolls to it first. */
export async function tapVisible(page: Page, selector: string): Promise<void> {
  await page.locator(selector).first().scrollIntoViewIfNeeded();
  await tapOn(page, selector);
}

/** Waits for the numbers' count-up to reach its final figures. */
async function countedUp(page: Page): Promise<void> {
  await page.waitForFunction(() =>
    [...document.querySelectorAll('[data-testid=figure-value]')].every(
      (live) => live.textContent === live.parentElement?.querySelector('.final')?.textContent,
    ),
  );
}

/**
 * Walks the kiosk from the attract loop in `lang`, calling `visit(name)` on
 * every screen once it is at rest. Returns the chapter ids the walk reached.
 */
export async function walkKiosk(
  page: Page,
  opts: WalkOptions,
  visit: (screen: string) => Promise<void>,
): Promise<string[]> {
  const { width, height } = page.viewportSize()!;
  await expect(page.getByTestId('attract')).toBeVisible();
  await opts.onAttract?.();
  await tap(page, { x: width / 2, y: height / 2 });
  await expect(page.getByTestId('home')).toBeVisible();
  if ((await screenOf(page).getAttribute('data-lang')) !== opts.lang) {
    await tapOn(page, `[data-testid=lang-switch] [data-lang=${opts.lang}]`);
    await expect(screenOf(page)).toHaveAttribute('data-lang', opts.lang);
  }
  await settle(page);
  await visit('home');

  const reached: string[] = [];
  await tapVisible(page, '[data-testid=chapter-card] >> nth=0');
  for (let i = 0; ; i++) {
    const chapter = page.locator(`[data-testid=chapter][data-index="${i}"]`);
    await expect(chapter).toBeVisible();
    await expect(page.locator('[data-testid=chapter]')).toHaveCount(1);
    await settle(page);
    reached.push((await chapter.getAttribute('data-chapter')) ?? '');
    const thumbs = await chapter.locator('.thumb').count();
    for (let img = 0; img < Math.max(1, thumbs); img++) {
      if (img > 0) {
        await tapOn(page, `[data-testid=chapter] .thumb >> nth=${img}`);
        await expect(chapter.locator('.thumb').nth(img)).toHaveAttribute('aria-pressed', 'true');
        await settle(page);
      }
      await visit(`chapter ${i + 1}${thumbs > 1 ? ` image ${img + 1}` : ''}`);
      if (opts.viewer && (await page.getByTestId('chapter-image').count()) > 0) {
        await tapOn(page, '[data-testid=chapter-image]');
        await expect(page.getByTestId('viewer')).toBeVisible();
        await settle(page);
        await visit(`viewer, chapter ${i + 1} image ${img + 1}`);
        await tapOn(page, '[data-testid=viewer-close]');
        await expect(page.getByTestId('viewer')).toHaveCount(0);
        await settle(page);
      }
    }
    if (await page.getByTestId('next').isDisabled()) break;
    await tapOn(page, '[data-testid=next]');
  }

  await tapOn(page, '[data-testid=home-button]');
  await expect(page.getByTestId('home')).toBeVisible();
  for (const extra of EXTRAS) {
    await tapVisible(page, `[data-testid=extra-${extra}]`);
    await expect(screenOf(page)).toHaveAttribute('data-screen', extra);
    await expect(page.locator(`section[data-screen=${extra}]`)).toBeVisible();
    if (extra === 'numbers') await countedUp(page);
    await settle(page);
    await visit(extra);
    await tapOn(page, '[data-testid=home-button]');
    await expect(page.getByTestId('home')).toBeVisible();
  }
  return reached;
}
