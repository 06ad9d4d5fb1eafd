/**
 * Accessibility of every visitor screen in every access mode: axe-core's WCAG
 * 2.0/2.1/2.2 A and AA rules find nothing; every control has an accessible
 * name; the modes reset at the idle reset; reduced motion stops animation;
 * large text fits its boxes at both orientations; the audio guide reads the
 * screen (verified through its live region, since headless Chromium has no
 * voices); the access control sits in the lower part of the screen.
 */
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { Exhibit } from '../../main/content/schema.js';
import {
  axe,
  closeMenu,
  EXTRAS,
  labelInName,
  leaveAttract,
  MODES,
  openMenu,
  settled,
  switchOn,
  type Mode,
} from './a11y-helpers';
import { firstIllustrated, servedExhibit } from './exhibit-data';
import { expect, ORIENTATIONS, test, type Orientation } from './kiosk-fixture';
import { pinch, tapOn } from './touch';

// The attract loop holds one slide for the whole test, so no cross-fade is caught half-way.
test.use({ attractSeconds: 120 });

/** Every screen a visitor can reach (bar the idle overlay), each visited and passed to `check`. */
async function walk(page: Page, exhibit: Exhibit, check: (where: string) => Promise<void>, mode: Mode) {
  // The attract loop in a mode: a visitor only sees it that way by the system setting (reduced
  // motion), but each mode's CSS must hold there too, so the test hook switches it.
  if (mode !== 'default') {
    await page.evaluate(
      (m) =>
        (window as unknown as { __vitrineAccess: { set(m: string, on: boolean): void } }).__vitrineAccess.set(
          m,
          true,
        ),
      mode,
    );
  }
  await check('attract');
  await leaveAttract(page);
  await switchOn(page, mode);
  await check('home');
  await openMenu(page);
  await check('access menu');
  await closeMenu(page);

  const illustrated = firstIllustrated(exhibit);
  await tapOn(page, `[data-testid=chapter-card] >> nth=${illustrated}`);
  await expect(page.getByTestId('chapter')).toHaveAttribute('data-index', String(illustrated));
  await check('chapter');
  await tapOn(page, '[data-testid=chapter-image]');
  await expect(page.getByTestId('viewer')).toBeVisible();
  await check('viewer');
  await tapOn(page, '[data-testid=viewer-close]');
  await expect(page.getByTestId('viewer')).toHaveCount(0);
  await tapOn(page, '[data-testid=home-button]');
  await expect(page.getByTestId('home')).toBeVisible();

  for (const extra of EXTRAS) {
    await tapOn(page, `[data-testid=extra-${extra}]`);
    await expect(page.locator(`section[data-screen=${extra}]`)).toBeVisible();
    if (extra === 'map') await expect(page.locator('section[data-screen=map] svg').first()).toBeVisible();
    await check(extra);
    await tapOn(page, '[data-testid=home-button]');
    await expect(page.getByTestId('home')).toBeVisible();
  }
}

test('every control says what it shows: its accessible name contains its visible words (WCAG 2.5.3)', async ({
  kiosk: page,
  preview,
}) => {
  test.setTimeout(180_000);
  const exhibit = await servedExhibit(preview.url);
  const found: string[] = [];
  let checked = 0;
  // With the audio guide on, its Read aloud button is on every screen too.
  await walk(
    page,
    exhibit,
    async (where) => {
      // axe reads a figure's visible words span by span and drops the spaces at their edges
      // ("over700,000"), so on these buttons the words are compared as a person reads them.
      const figures = where === 'numbers' ? ['[data-figure]'] : [];
      const r = await labelInName(page, where, figures);
      found.push(...r.found);
      checked += r.checked;
      for (const figure of await page.locator(figures.join(',') || 'none').all()) {
        await expect(figure.getByTestId('figure-value')).toHaveText(
          (await figure.locator('.final').textContent())!,
        );
        const shown = (await figure.innerText()).replace(/\s+/g, ' ').trim();
        await expect(figure).toHaveAccessibleName(
          new RegExp(`^${shown.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
        );
        checked += 1;
      }
    },
    'audioGuide',
  );
  expect(found).toEqual([]);
  expect(checked, 'the rule looked at labelled controls').toBeGreaterThan(0);
});

// Each screen axe judged is saved as it looked, for a person to look at every mode:
// VITRINE_SCREENS_DIR moves them, as it does the screens spec's.
const shots = path.join(
  process.env.VITRINE_SCREENS_DIR ?? path.resolve(import.meta.dirname, '../../test-results/screens'),
  'modes',
);

/** axe's findings on the screen as it is, which is saved as `<orientation>-<mode>-<where>.png`. */
async function axeAndShot(page: Page, where: string, mode: Mode, orientation: Orientation) {
  const found = await axe(page, where);
  await page.screenshot({
    path: path.join(shots, `${orientation}-${mode}-${where.replace(/\W+/g, '-')}.png`),
  });
  return found;
}

// Reduced motion looks as the default does at rest, so portrait leaves it to landscape.
const PORTRAIT_MODES: readonly Mode[] = ['default', 'largeText', 'highContrast'];

for (const orientation of Object.keys(ORIENTATIONS) as Orientation[]) {
  test.describe(`axe finds nothing (${orientation})`, () => {
    test.use({ orientation });
    for (const mode of orientation === 'landscape' ? MODES : PORTRAIT_MODES) {
      test(`on any screen in ${mode} mode`, async ({ kiosk: page, preview }) => {
        test.setTimeout(180_000);
        const exhibit = await servedExhibit(preview.url);
        const found: string[] = [];
        await walk(
          page,
          exhibit,
          async (where) => void found.push(...(await axeAndShot(page, where, mode, orientation))),
          mode,
        );
        expect(found).toEqual([]);
      });
    }
  });
}

/** Controls (by the accessibility tree Chromium builds) that have no name. */
async function unnamedControls(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
    nodes: {
      ignored: boolean;
      role?: { value: string };
      name?: { value: string };
      backendDOMNodeId?: number;
    }[];
  };
  await cdp.detach();
  const roles = new Set([
    'button',
    'switch',
    'link',
    'checkbox',
    'radio',
    'tab',
    'menuitem',
    'slider',
    'textbox',
    'combobox',
  ]);
  return nodes
    .filter((n) => !n.ignored && roles.has(n.role?.value ?? '') && !(n.name?.value ?? '').trim())
    .map((n) => `${n.role?.value} #${n.backendDOMNodeId}`);
}

test('every control on every screen has an accessible name', async ({ kiosk: page, preview }) => {
  test.setTimeout(120_000);
  const exhibit = await servedExhibit(preview.url);
  const unnamed: string[] = [];
  await walk(
    page,
    exhibit,
    async (where) => void unnamed.push(...(await unnamedControls(page)).map((c) => `${where}: ${c}`)),
    'default',
  );
  expect(unnamed).toEqual([]);
});

/** Text in a box that cuts it off: clipped on either axis, not a scroll area, not an intended ellipsis. */
async function overflowing(page: Page): Promise<string[]> {
  await settled(page);
  return page.evaluate(() => {
    const out: string[] = [];
    const vw = document.documentElement.clientWidth;
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      if (el.closest('svg, [data-testid=picture], [data-leaving], [inert]')) continue;
      const text = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim());
      const cs = getComputedStyle(el);
      if (cs.visibility === 'hidden' || cs.display === 'none') continue;
      const r = el.getBoundingClientRect();
      // Zero-size and visually-hidden (1 px, clipped) elements hold text for assistive technology only.
      if (r.width <= 1 || r.height <= 1) continue;
      const label = `${el.tagName.toLowerCase()}${el.dataset.testid ? `[${el.dataset.testid}]` : ''}.${[...el.classList].filter((c) => !c.startsWith('svelte-')).join('.')} "${(el.textContent ?? '').trim().slice(0, 40)}"`;
      const inScroller = (() => {
        for (let a = el.parentElement; a; a = a.parentElement) {
          if (/auto|scroll/.test(getComputedStyle(a).overflowX)) return true;
        }
        return false;
      })();
      if (text && !inScroller && (r.left < -1 || r.right > vw + 1)) out.push(`off screen: ${label}`);
      const scrolls = /auto|scroll/.test(cs.overflowY) || /auto|scroll/.test(cs.overflowX);
      const clips = cs.overflowX !== 'visible' || cs.overflowY !== 'visible';
      if (!clips || scrolls || cs.textOverflow === 'ellipsis' || !el.textContent?.trim()) continue;
      if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)
        out.push(`clipped: ${label}`);
    }
    return out;
  });
}

for (const orientation of Object.keys(ORIENTATIONS) as Orientation[]) {
  test.describe(`large text (${orientation})`, () => {
    test.use({ orientation });

    test('makes body text at least 36 px and overflows no box', async ({ kiosk: page, preview }) => {
      test.setTimeout(120_000);
      const exhibit = await servedExhibit(preview.url);
      const problems: string[] = [];
      await walk(
        page,
        exhibit,
        async (where) => void problems.push(...(await overflowing(page)).map((p) => `${where}: ${p}`)),
        'largeText',
      );
      expect(problems).toEqual([]);
      const illustrated = firstIllustrated(exhibit);
      await tapOn(page, `[data-testid=chapter-card] >> nth=${illustrated}`);
      const body = page.locator('[data-testid=chapter-text] .body p').first();
      expect(await body.evaluate((p) => parseFloat(getComputedStyle(p).fontSize))).toBeGreaterThanOrEqual(36);
    });
  });
}

test.describe('reduced motion', () => {
  test('follows the system setting from the first paint', async ({ browser, preview }) => {
    const context = await browser.newContext({ reducedMotion: 'reduce', viewport: ORIENTATIONS.landscape });
    const page = await context.newPage();
    await page.goto(preview.url);
    await expect(page.getByTestId('attract')).toBeVisible();
    await expect(page.locator('html')).toHaveClass(/\breduced-motion\b/);
    await context.close();
  });

  test('stops drifting pictures, pulsing, sliding pages and transitions', async ({
    kiosk: page,
    preview,
  }) => {
    const exhibit = await servedExhibit(preview.url);
    const names = () =>
      page.evaluate(() =>
        [...document.querySelectorAll('[data-testid=attract] *')]
          .map((el) => getComputedStyle(el).animationName)
          .filter((n) => n !== 'none'),
      );
    expect(await names(), 'the attract loop moves by default').not.toEqual([]);
    await leaveAttract(page);
    await switchOn(page, 'reducedMotion');
    const durations = await page.evaluate(() =>
      [...document.querySelectorAll('button, [data-testid=home] *')].map(
        (el) => getComputedStyle(el).transitionDuration,
      ),
    );
    expect(new Set(durations)).toEqual(new Set(['0s']));

    const illustrated = firstIllustrated(exhibit);
    await tapOn(page, `[data-testid=chapter-card] >> nth=${illustrated}`);
    await expect(page.getByTestId('chapter')).toBeVisible();
    // A page turn replaces the page at once: no sliding animation is left running after the tap.
    await tapOn(page, '[data-testid=next]');
    const running = await page.evaluate(
      () =>
        document
          .getAnimations()
          .filter((a) => a.playState === 'running' && Number(a.effect?.getComputedTiming().duration) > 0)
          .length,
    );
    expect(running).toBe(0);
    await expect(page.getByTestId('chapter')).toHaveAttribute('data-index', String(illustrated + 1));

    // The figures stand at their values at once: no count-up.
    await tapOn(page, '[data-testid=home-button]');
    await tapOn(page, '[data-testid=extra-numbers]');
    await expect(page.locator('section[data-screen=numbers]')).toBeVisible();
    const shown = (await page.locator('section[data-screen=numbers]').textContent())!.replace(/\s+/g, ' ');
    for (const f of exhibit.figures) expect(shown).toContain(f.display.en!.replace(/\s+/g, ' '));
  });

  test('the attract loop stands still under the system setting', async ({ browser, preview }) => {
    const context = await browser.newContext({ reducedMotion: 'reduce', viewport: ORIENTATIONS.portrait });
    const page = await context.newPage();
    await page.goto(preview.url);
    await expect(page.getByTestId('attract')).toBeVisible();
    const moving = await page.evaluate(() =>
      [...document.querySelectorAll('[data-testid=attract] *')]
        .map((el) => getComputedStyle(el).animationName)
        .filter((n) => n !== 'none'),
    );
    expect(moving).toEqual([]);
    await context.close();
  });
});

test.describe('audio guide', () => {
  test('reads the chapter, image and caption aloud on demand, and says when it has no voice', async ({
    kiosk: page,
    preview,
  }) => {
    const exhibit = await servedExhibit(preview.url);
    const i = firstIllustrated(exhibit);
    const chapter = exhibit.chapters[i]!;
    await leaveAttract(page);
    await expect(page.getByTestId('guide-read')).toHaveCount(0);
    await switchOn(page, 'audioGuide');
    await tapOn(page, `[data-testid=chapter-card] >> nth=${i}`);
    await tapOn(page, '[data-testid=guide-read]');
    const region = page.getByTestId('guide-text');
    await expect(region).toHaveAttribute('aria-live', 'polite');
    const spoken = page.getByTestId('guide-spoken');
    await expect(spoken).toContainText(chapter.title.en!);
    await expect(spoken).toContainText(`Image: ${chapter.images[0]!.alt.en}`);
    await expect(spoken).toContainText(chapter.images[0]!.caption.en!);
    // Headless Chromium has no voices: the guide says so and leaves the text to read.
    const status = await region.getAttribute('data-status');
    if (status === 'unavailable') await expect(region).toContainText('Speech is not available');
    expect(await axe(page, 'audio guide text'), 'the guide’s plate passes axe too').toEqual([]);

    // In Russian, the viewer's image is read in Russian.
    await tapOn(page, '[data-testid=lang-switch] [data-lang=ru]');
    await expect(spoken).toHaveCount(0);
    await tapOn(page, '[data-testid=chapter-image]');
    await tapOn(page, '[data-testid=guide-read]');
    await expect(spoken).toContainText(`Изображение: ${chapter.images[0]!.alt.ru}`);
    await expect(spoken).toContainText(chapter.images[0]!.credit.ru!);
  });
});

for (const orientation of Object.keys(ORIENTATIONS) as Orientation[]) {
  test(`the access control and chapter navigation sit in the lower half (${orientation})`, async ({
    browser,
    preview,
  }) => {
    const context = await browser.newContext({ viewport: ORIENTATIONS[orientation], hasTouch: true });
    const page = await context.newPage();
    await page.goto(preview.url);
    await expect(page.getByTestId('attract')).toBeVisible();
    const { height } = ORIENTATIONS[orientation];
    const top = async (sel: string) => (await page.locator(sel).first().boundingBox())!.y;
    expect(await top('[data-testid=access-button]')).toBeGreaterThan(height / 2);
    await leaveAttract(page);
    await tapOn(page, '[data-testid=chapter-card] >> nth=0');
    for (const sel of ['[data-testid=next]', '[data-testid=prev]', '[data-testid=access-button]']) {
      expect(await top(sel), sel).toBeGreaterThan(height / 2);
    }
    await context.close();
  });
}

test('the page itself never zooms under a pinch, though the viewport no longer forbids zoom (WCAG 1.4.4)', async ({
  kiosk: page,
}) => {
  await leaveAttract(page);
  const { width, height } = page.viewportSize()!;
  await pinch(page, { x: width / 2, y: height / 2 }, 100, 500);
  expect(await page.evaluate(() => window.visualViewport?.scale ?? 1)).toBe(1);
});
