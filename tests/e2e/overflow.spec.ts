/**
 * No text overflows its box on any visitor screen, in English or Russian, at
 * 1920x1080 and 1080x1920: every attract slide, home, each chapter with each
 * of its images, the image viewer for each image, the timeline, in numbers,
 * the map, credits and the idle overlay. One walk by touch per language and
 * orientation; the issues of all screens are reported together.
 */
import type { Page } from '@playwright/test';
import { settle } from './coverage-collect';
import { walkKiosk } from './coverage-walk';
import { expect, ORIENTATIONS, test, type Orientation } from './kiosk-fixture';
import { findOverflow, type OverflowIssue } from './overflow-check';

const LANGS = ['en', 'ru'] as const;

// Short slides so every attract slide is checked quickly; an idle time short enough to wait for
// the overlay at the end of the walk, long enough that a walk's steps never trigger it.
test.use({ attractSeconds: 2, idleSeconds: 8, countdownSeconds: 60 });
// Four independent walks: let both workers take them.
test.describe.configure({ mode: 'parallel' });

/**
 * Checks every attract slide once, as the loop brings them round. Text fading in
 * or out is measured too: a fade changes opacity, never layout.
 */
async function eachAttractSlide(page: Page, check: (screen: string, transparent: boolean) => Promise<void>) {
  const dots = page.locator('[data-testid=attract] .dots span');
  const slides = await dots.count();
  const checked = new Set<number>();
  for (let i = 0; i < slides * 3 && checked.size < slides; i++) {
    const on = await dots.evaluateAll((ds) => ds.findIndex((d) => d.classList.contains('on')));
    if (!checked.has(on)) await check(`attract slide ${on + 1}`, true);
    checked.add(on);
    if (checked.size < slides) await expect(dots.nth(on)).not.toHaveClass(/\bon\b/, { timeout: 10_000 });
  }
  expect(checked.size).toBe(slides);
}

for (const orientation of Object.keys(ORIENTATIONS) as Orientation[]) {
  test.describe(`no text overflows (${orientation})`, () => {
    test.use({ orientation });

    for (const lang of LANGS) {
      test(`on any screen in ${lang}`, async ({ kiosk: page }) => {
        test.setTimeout(240_000);
        const issues: (OverflowIssue & { screen: string })[] = [];
        const check = async (screen: string, transparent = false) => {
          for (const issue of await findOverflow(page, { transparent })) issues.push({ screen, ...issue });
        };
        await walkKiosk(
          page,
          {
            lang,
            viewer: true,
            // Idle resets the language, so the attract loop only ever shows the default one.
            onAttract: lang === 'en' ? () => eachAttractSlide(page, check) : undefined,
          },
          check,
        );
        await expect(page.getByTestId('idle-overlay')).toBeVisible({ timeout: 20_000 });
        // The countdown ring turns every second; the rest of the overlay comes to rest.
        await settle(page, '[data-testid=idle-overlay] svg');
        await check('idle overlay');
        expect(issues.map((i) => `${i.screen}: ${i.kind} ${i.where} “${i.text}” ${i.detail}`)).toEqual([]);
      });
    }
  });
}
