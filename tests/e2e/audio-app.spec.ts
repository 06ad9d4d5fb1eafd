/**
 * Narration inside the whole kiosk (browser host, bundled exhibit, real screens), touched
 * through CDP: Listen on a chapter, captions in English and Russian, the "Still there?"
 * overlay held off while the voice plays, and the idle reset silencing it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { captionAt, parseCaptions } from '../../src/lib/audio/captions.js';
import { expect, ORIENTATIONS, test, type Orientation } from './kiosk-fixture.js';
import { tap, tapOn } from './touch.js';

const EXHIBIT = fileURLToPath(new URL('../../assets/exhibit/', import.meta.url));
const IDLE = 10;
const COUNTDOWN = 5;

test.use({ idleSeconds: IDLE, countdownSeconds: COUNTDOWN });

/** Leaves the attract loop and opens the first chapter, whose Listen control must be there. */
async function firstChapter(page: Page): Promise<void> {
  const { width, height } = page.viewportSize()!;
  await tap(page, { x: width / 2, y: height / 2 });
  await tapOn(page, '[data-testid=chapter-card] >> nth=0');
  await expect(page.getByTestId('chapter-screen')).toBeVisible();
  // The dock loads after the screen (it brings Howler), so wait for it rather than count it.
  await expect(page.getByTestId('audio-dock')).toBeVisible();
  await expect(page.getByTestId('listen')).toBeVisible();
}

async function cuesOf(page: Page, lang: string) {
  const exhibit = await page.evaluate(async () => (await (await fetch('/api/exhibit')).json()).exhibit);
  const entry = exhibit.chapters[0].narration[lang];
  return parseCaptions(readFileSync(`${EXHIBIT}/${entry.captions}`, 'utf8'));
}

for (const orientation of Object.keys(ORIENTATIONS) as Orientation[]) {
  test.describe(`narration in the kiosk (${orientation})`, () => {
    test.use({ orientation });

    test('Listen reads the chapter with captions in step, in English and Russian', async ({
      kiosk: page,
    }) => {
      await firstChapter(page);
      for (const lang of ['en', 'ru']) {
        if (lang === 'ru') await tapOn(page, 'button[data-lang=ru]');
        await expect(page.getByTestId('app')).toHaveAttribute('data-lang', lang);
        const cues = await cuesOf(page, lang);
        await tapOn(page, '[data-testid=listen]');
        const caption = page.getByTestId('caption-text');
        await expect(caption).toHaveText(cues[0]!.text, { timeout: 15_000 });
        await expect(caption).toHaveText(cues[1]!.text, { timeout: 15_000 });
        // Howler puts itself on window; its clock and the caption are read in one frame.
        const { t, text } = await page.evaluate(() => ({
          t: (window as any).Howler._howls.find((h: any) => h._html5).seek() as number,
          text: document.querySelector('[data-testid=caption-text]')?.textContent,
        }));
        expect([t, t - 0.15, t - 0.3].map((x) => captionAt(cues, x)?.text)).toContain(text);
        await page.screenshot({ path: test.info().outputPath(`kiosk-narration-${lang}-${orientation}.png`) });
      }
    });

    test('no "Still there?" while narration plays; the idle reset then silences it', async ({
      page,
      preview,
    }) => {
      // The clock goes in before the page loads: the idle timer takes its clock at start-up.
      await page.clock.install();
      await page.goto(preview.url);
      await expect(page.getByTestId('attract')).toBeVisible();
      await firstChapter(page);
      await tapOn(page, '[data-testid=listen]');
      await expect(page.getByTestId('listen')).toHaveAttribute('data-state', 'playing', { timeout: 15_000 });
      await page.clock.fastForward((IDLE + COUNTDOWN) * 2 * 1000);
      await expect(page.getByTestId('idle-overlay')).toHaveCount(0);
      await expect(page.getByTestId('listen')).toHaveAttribute('data-state', 'playing');

      // Stopped: the timer runs again, and its reset leaves no voice and no Howl behind.
      await tapOn(page, '[data-testid=listen]');
      await page.clock.fastForward((IDLE + 1) * 1000);
      await expect(page.getByTestId('idle-overlay')).toBeVisible();
      await page.clock.fastForward((COUNTDOWN + 1) * 1000);
      await expect(page.getByTestId('app')).toHaveAttribute('data-screen', 'attract');
      await expect(page.getByTestId('caption-bar')).toHaveCount(0);
      expect(await page.evaluate(() => (window as any).Howler._howls.length)).toBe(0);
    });
  });
}
