/** Helpers for the e2e tests that turn chapters with pages built ahead. */
import type { Page } from '@playwright/test';
import type { Exhibit } from '../../main/content/schema.js';
import { expect, screenOf } from './kiosk-fixture.js';
import { servedExhibit } from './exhibit-data.js';
import { tap, tapOn } from './touch.js';

/** The first chapter whose next chapter has a picture too (the turn must have a picture to decode). */
export function pairWithPictures(exhibit: Exhibit): number {
  const i = exhibit.chapters.findIndex(
    (c, k) => c.images.length > 0 && exhibit.chapters[k + 1]?.images.length,
  );
  if (i < 0) throw new Error('no two illustrated chapters in a row');
  return i;
}

/** From the attract loop, through home, to chapter `index`, at rest (no page still sliding away). */
export async function openChapter(page: Page, index: number): Promise<void> {
  const { width, height } = page.viewportSize()!;
  await tap(page, { x: width / 2, y: height / 2 });
  await expect(screenOf(page)).toHaveAttribute('data-screen', 'home');
  await page.locator(`[data-testid=chapter-card] >> nth=${index}`).scrollIntoViewIfNeeded();
  await tapOn(page, `[data-testid=chapter-card] >> nth=${index}`);
  await expect(page.getByTestId('chapter')).toHaveAttribute('data-index', String(index));
  await expect(page.locator('[data-leaving]')).toHaveCount(0);
}

/** The exhibit the preview at `url` serves, and its first illustrated pair's first chapter, opened. */
export async function openIllustratedPair(
  page: Page,
  url: string,
): Promise<{ exhibit: Exhibit; at: number }> {
  const exhibit = await servedExhibit(url);
  const at = pairWithPictures(exhibit);
  await openChapter(page, at);
  return { exhibit, at };
}
