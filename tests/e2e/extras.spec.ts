/**
 * The exhibit's extra screens (timeline, numbers, campaign map, credits)
 * reached from home with real touch input, in English and Russian, at both
 * orientations: each renders its content, leads to the right chapter, and
 * the map pinch-zooms, pans back and opens a place's chapter.
 */
import type { Page } from '@playwright/test';
import type { Exhibit } from '../../main/content/schema.js';
import extraTitles from '../../src/lib/i18n/extras.js';
import extraScreens from '../../src/lib/i18n/lazy/extras.js';
import { servedExhibit } from './exhibit-data.js';
import { expect, ORIENTATIONS, screenOf, test, type Orientation } from './kiosk-fixture.js';
import { centreOf, doubleTap, fingers, pinch, tap, tapOn, touchDown, touchMove, touchUp } from './touch.js';
import { fitMap, project } from '../../src/lib/map/projection.js';

type Extra = 'timeline' | 'numbers' | 'map' | 'credits';
const LANGS = ['en', 'ru'] as const;
/** The extra screens' strings: the titles Home shows and the ones inside the screens. */
const extras = {
  en: { ...extraTitles.en, ...extraScreens.en },
  ru: { ...extraTitles.ru, ...extraScreens.ru },
};

async function openExtra(page: Page, extra: Extra, lang: (typeof LANGS)[number] = 'en') {
  const { width, height } = page.viewportSize()!;
  if ((await screenOf(page).getAttribute('data-screen')) === 'attract') {
    await tap(page, { x: width / 2, y: height / 2 });
  }
  await expect(page.getByTestId('home')).toBeVisible();
  if (lang !== 'en') {
    await tapOn(page, `[data-testid=lang-switch] [data-lang=${lang}]`);
    await expect(screenOf(page)).toHaveAttribute('data-lang', lang);
  }
  await page.getByTestId(`extra-${extra}`).scrollIntoViewIfNeeded();
  await tapOn(page, `[data-testid=extra-${extra}]`);
  await expect(screenOf(page)).toHaveAttribute('data-screen', extra);
  await expect(page.locator(`section[data-screen=${extra}]`)).toBeVisible();
}

/** Taps an element after bringing it into view (the timeline scrolls, sideways in landscape). */
async function tapElement(page: Page, selector: string) {
  await page.locator(selector).first().scrollIntoViewIfNeeded();
  await tap(page, await centreOf(page, selector));
}

/** Text boxes in `section` whose text spills out of them (too wide or too tall for the box). */
async function overflowing(page: Page, section: string): Promise<string[]> {
  return page.locator(section).evaluate((root) => {
    const bad: string[] = [];
    for (const el of root.querySelectorAll<HTMLElement>('*')) {
      // Skips SVG text and visually hidden headings (1 px boxes for screen readers).
      if (el.closest('svg') || el.clientWidth <= 1 || el.clientHeight <= 1) continue;
      const hasText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim());
      if (!hasText) continue;
      const style = getComputedStyle(el);
      if (/(auto|scroll)/.test(style.overflowX + style.overflowY)) continue;
      if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) {
        bad.push(`${el.tagName.toLowerCase()}.${el.className}: "${el.textContent!.trim().slice(0, 60)}"`);
      }
    }
    return bad;
  });
}

const chapterIndex = (exhibit: Exhibit, id: string) => exhibit.chapters.findIndex((c) => c.id === id);

for (const orientation of Object.keys(ORIENTATIONS) as Orientation[]) {
  test.describe(`extras (${orientation})`, () => {
    test.use({ orientation });

    for (const lang of LANGS) {
      test(`every extra screen shows its content in ${lang}`, async ({ kiosk: page, preview }) => {
        const exhibit = await servedExhibit(preview.url);
        const dict = extras[lang];
        const pick = (t: Record<string, string>) => t[lang] ?? t.en!;

        await openExtra(page, 'timeline', lang);
        const timeline = page.locator('section[data-screen=timeline]');
        await expect(timeline).toHaveAttribute('lang', lang);
        await expect(timeline.getByText(dict['extras.timeline.intro'])).toBeVisible();
        const entries = timeline.locator('button[data-chapter]');
        await expect(entries).toHaveCount(exhibit.timeline.length);
        // In date order, each with its date label in this language.
        const dates = await entries.evaluateAll((els) => els.map((e) => e.getAttribute('data-date')!));
        expect(dates).toEqual([...dates].sort());
        for (const entry of exhibit.timeline) {
          await expect(
            timeline
              .locator('time')
              .filter({ hasText: pick(entry.dateLabel) })
              .first(),
          ).toBeAttached();
        }

        await page.getByTestId('home-button').click();
        await openExtra(page, 'numbers');
        const numbers = page.locator('section[data-screen=numbers]');
        await expect(numbers.locator('button[data-figure]')).toHaveCount(exhibit.figures.length);
        for (const f of exhibit.figures) {
          await expect(numbers.locator(`[data-figure=${f.id}] [data-testid=figure-value]`)).toHaveText(
            pick(f.display),
          );
          await expect(numbers.locator(`[data-figure=${f.id}] .label`)).toHaveText(pick(f.label));
        }
        expect(await overflowing(page, 'section[data-screen=numbers]')).toEqual([]);

        await page.getByTestId('home-button').click();
        await openExtra(page, 'map');
        const map = page.locator('section[data-screen=map]');
        // Natural Earth land drawn as many shapes: the mainland, Sakhalin, Japan, the Kurils...
        await expect(map.locator('path.land').first()).toBeAttached();
        expect(await map.locator('path.land').count()).toBeGreaterThan(20);
        await expect(map.locator('g.arrow')).toHaveCount(exhibit.map!.advances.length);
        await expect(map.getByText(dict['extras.map.schematic'], { exact: true })).toBeVisible();
        await expect(map.getByText(dict['extras.map.credit'])).toBeVisible();
        for (const p of exhibit.map!.places) {
          await expect(map.locator(`[data-place=${p.id}] text`)).toHaveText(pick(p.name));
        }
        for (const force of new Set(exhibit.map!.advances.map((a) => a.force))) {
          await expect(map.getByText(dict[`extras.map.force.${force}` as keyof typeof dict])).toBeVisible();
        }
        expect(await overflowing(page, 'section[data-screen=map]')).toEqual([]);

        await page.getByTestId('home-button').click();
        await openExtra(page, 'credits');
        const credits = page.locator('section[data-screen=credits]');
        await expect(credits.getByText(pick(exhibit.source.title), { exact: false }).first()).toBeVisible();
        for (const ch of exhibit.chapters)
          for (const img of ch.images) {
            await expect(credits.locator(`[data-image=${img.id}] .caption`)).toHaveText(pick(img.caption));
            await expect(credits.locator(`[data-image=${img.id}] .who`)).toHaveText(pick(img.credit));
          }
        await expect(credits).toContainText('SIL Open Font');
        await expect(credits).toContainText('Natural Earth');
        expect(await overflowing(page, 'section[data-screen=credits]')).toEqual([]);
      });
    }

    test('switching language on an extra screen re-renders it at once', async ({ kiosk: page, preview }) => {
      const exhibit = await servedExhibit(preview.url);
      await openExtra(page, 'timeline');
      const first = exhibit.timeline.toSorted((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))[0]!;
      await expect(page.locator('section[data-screen=timeline] time').first()).toHaveText(
        first.dateLabel.en!,
      );
      await tapOn(page, '[data-testid=lang-switch] [data-lang=ru]');
      await expect(page.locator('section[data-screen=timeline] time').first()).toHaveText(
        first.dateLabel.ru!,
      );
      await expect(page.getByText(extras.ru['extras.timeline.intro'])).toBeVisible();
    });
  });
}

test.describe('extras: timeline and numbers lead to chapters', () => {
  test('every timeline entry opens its own chapter', async ({ kiosk: page, preview }) => {
    const exhibit = await servedExhibit(preview.url);
    await openExtra(page, 'timeline');
    const count = exhibit.timeline.length;
    for (let i = 0; i < count; i++) {
      const entry = page.locator('section[data-screen=timeline] button[data-chapter]').nth(i);
      const id = (await entry.getAttribute('data-chapter'))!;
      await entry.scrollIntoViewIfNeeded();
      const box = (await entry.boundingBox())!;
      await tap(page, { x: box.x + box.width / 2, y: box.y + Math.min(box.height / 2, 60) });
      await expect(page.getByTestId('chapter')).toHaveAttribute(
        'data-index',
        String(chapterIndex(exhibit, id)),
      );
      await page.getByTestId('home-button').click();
      await openExtra(page, 'timeline');
    }
  });

  test('a figure opens its chapter, and reduced motion shows the final figures at once', async ({
    kiosk: page,
    preview,
  }) => {
    const exhibit = await servedExhibit(preview.url);
    await page.evaluate(() => document.documentElement.classList.add('reduced-motion'));
    await openExtra(page, 'numbers');
    // Read in the same frame the screen appears: with motion on these would still be counting.
    const shown = await page
      .locator('[data-testid=figure-value]')
      .evaluateAll((els) => els.map((e) => e.textContent?.trim()));
    const finals = await page
      .locator('button[data-figure] .final')
      .evaluateAll((els) => els.map((e) => e.textContent?.trim()));
    expect(shown).toEqual(finals);
    const f = exhibit.figures.at(-1)!;
    await tapElement(page, `button[data-figure=${f.id}]`);
    await expect(page.getByTestId('chapter')).toHaveAttribute(
      'data-index',
      String(chapterIndex(exhibit, f.chapter)),
    );
  });

  test('with motion allowed the figures count up and settle on the exact text', async ({
    kiosk: page,
    preview,
  }) => {
    const exhibit = await servedExhibit(preview.url);
    await openExtra(page, 'numbers');
    for (const f of exhibit.figures) {
      await expect(page.locator(`[data-figure=${f.id}] [data-testid=figure-value]`)).toHaveText(
        f.display.en!,
      );
    }
  });
});

test.describe('extras: the campaign map', () => {
  test('the base map is not part of the first download', async ({ page, preview }) => {
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    await page.goto(preview.url);
    await expect(page.getByTestId('attract')).toBeVisible();
    await tap(page, { x: 400, y: 400 });
    await expect(page.getByTestId('home')).toBeVisible();
    expect(requested.filter((u) => /far-east/.test(u))).toEqual([]);
    await tapOn(page, '[data-testid=extra-map]');
    await expect(page.locator('section[data-screen=map] path.land').first()).toBeAttached();
    expect(requested.some((u) => /far-east/.test(u))).toBe(true);
  });

  for (const [what, reply] of [
    [
      'cut off half-way',
      { status: 200, contentType: 'application/json', body: '{"type":"Topology","arcs":[[[0,0' },
    ],
    ['not TopoJSON', { status: 200, contentType: 'application/json', body: '{"type":"FeatureCollection"}' }],
    ['missing', { status: 404, body: '' }],
  ] as const) {
    test(`a base map file ${what}: places and advances still show, on plain sea, and answer taps`, async ({
      kiosk: page,
      preview,
    }) => {
      const logged: string[] = [];
      page.on('console', (m) => m.type() === 'error' && logged.push(m.text()));
      await page.route(/far-east/, (route) => route.fulfill(reply));
      const exhibit = await servedExhibit(preview.url);
      const place = exhibit.map!.places.find((p) => p.kind === 'city')!;
      await openExtra(page, 'map');
      const map = page.locator('section[data-screen=map]');
      await expect(map.locator(`[data-place=${place.id}] circle`)).toBeVisible();
      await expect(map.locator('g.arrow').first()).toBeAttached();
      await expect(map.locator('.loading')).toHaveCount(0);
      await expect(map.locator('path.land')).toHaveCount(0);
      // No credit for map data that is not shown, and no word of coastlines that are not there.
      await expect(map.locator('.credit')).toHaveCount(0);
      await expect(map.locator('.note')).not.toContainText(extraScreens.en['extras.map.borders']!);
      await tapOn(page, `[data-place=${place.id}] text`);
      await expect(map.locator('.popover')).toContainText(place.name.en!);
      // Logged for the technician, once; the visitor sees no error.
      expect(logged.filter((l) => /base map failed to load/.test(l))).toHaveLength(1);
    });
  }

  test('a base map file that never arrives: after ten seconds the places show on plain sea', async ({
    kiosk: page,
  }) => {
    await page.route(/far-east/, () => {
      // Never answered, as from a host that has hung.
    });
    await openExtra(page, 'map');
    const map = page.locator('section[data-screen=map]');
    await expect(map.locator('.loading')).toBeVisible();
    await expect(map.locator('[data-place] circle').first()).toBeVisible({ timeout: 15_000 });
    await expect(map.locator('.loading')).toHaveCount(0);
  });

  for (const orientation of Object.keys(ORIENTATIONS) as Orientation[]) {
    test(`coast and places agree: land under Harbin and small islands, sea in narrow straits (${orientation})`, async ({
      browser,
      preview,
    }) => {
      // The base map arrives projected at build time; the page projects the exhibit's lon/lat itself.
      const context = await browser.newContext({ viewport: ORIENTATIONS[orientation], hasTouch: true });
      const page = await context.newPage();
      await page.goto(preview.url);
      await expect(page.getByTestId('attract')).toBeVisible();
      await openExtra(page, 'map');
      await expect(page.locator('section[data-screen=map] path.land').first()).toBeAttached();
      const box = (await page.locator('section[data-screen=map] svg.overlay').boundingBox())!;
      // The map's own fit and projection (what the page runs), from the drawing's size.
      const fit = fitMap(
        { width: Math.round(box.width), height: Math.round(box.height) },
        { top: 28, right: 28, bottom: 28, left: 28 },
      );
      const landAt = (lonLat: [number, number]) => {
        const p = project(fit, lonLat);
        return page.evaluate(
          ([x, y]) => document.elementsFromPoint(x!, y!).some((e) => e.matches('path.land')),
          [box.x + p.x, box.y + p.y],
        );
      };
      // Harbin's dot is where the exhibit's coordinates project, and on land there.
      const exhibit = await servedExhibit(preview.url);
      const harbin = exhibit.map!.places.find((p) => p.id === 'harbin')!.coordinates;
      const dot = await centreOf(page, '[data-place=harbin] circle');
      const placed = project(fit, harbin);
      expect(Math.hypot(dot.x - box.x - placed.x, dot.y - box.y - placed.y)).toBeLessThan(1);
      expect(await landAt(harbin), 'Harbin').toBe(true);
      // Small islands and narrow straits: a base map a few px off its places fails here.
      expect(await landAt([142.73, 46.96]), 'southern Sakhalin').toBe(true);
      expect(await landAt([145.85, 44.05]), 'Kunashir').toBe(true);
      expect(await landAt([138.4, 38]), 'Sado').toBe(true);
      expect(await landAt([145.2, 43.8]), 'the strait between Kunashir and Hokkaido').toBe(false);
      expect(await landAt([141.3, 49.5]), 'Tatar Strait').toBe(false);
      expect(await landAt([135, 40]), 'Sea of Japan').toBe(false);
      await context.close();
    });

    test(`pinch zooms, double tap zooms, reset returns (${orientation})`, async ({ browser, preview }) => {
      const context = await browser.newContext({ viewport: ORIENTATIONS[orientation], hasTouch: true });
      const page = await context.newPage();
      await page.goto(preview.url);
      await expect(page.getByTestId('attract')).toBeVisible();
      await openExtra(page, 'map');
      const stage = page.locator('section[data-screen=map] .stage');
      await expect(page.locator('section[data-screen=map] path.land').first()).toBeAttached();
      const box = (await stage.boundingBox())!;
      const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
      const harbinBefore = await centreOf(page, '[data-place=harbin] circle');

      await pinch(page, centre, 120, 420);
      const scale = Number(await stage.getAttribute('data-scale'));
      expect(scale).toBeGreaterThan(2.5);
      // The map really moved: Harbin is now further from the centre, labels keep their size.
      const harbinAfter = await centreOf(page, '[data-place=harbin] circle');
      const dist = (p: { x: number; y: number }) => Math.hypot(p.x - centre.x, p.y - centre.y);
      expect(dist(harbinAfter)).toBeGreaterThan(dist(harbinBefore) * 2);

      await tapOn(page, '[data-testid=map-reset]');
      await expect(stage).toHaveAttribute('data-scale', '1.000');

      // Double-tap open sea, away from every place (a tap on a place opens its card instead).
      const labels = await page.locator('[data-place]').evaluateAll((els) =>
        els.map((e) => {
          const r = e.getBoundingClientRect();
          return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
        }),
      );
      const clear = (p: { x: number; y: number }) =>
        labels.every(
          (l) => p.x < l.left - 70 || p.x > l.right + 70 || p.y < l.top - 70 || p.y > l.bottom + 70,
        );
      let sea = centre;
      search: for (let gy = 0.2; gy <= 0.8; gy += 0.05)
        for (let gx = 0.2; gx <= 0.8; gx += 0.05) {
          const p = { x: box.x + box.width * gx, y: box.y + box.height * gy };
          if (clear(p)) {
            sea = p;
            break search;
          }
        }
      expect(sea, 'a spot clear of place names').not.toBe(centre);
      await doubleTap(page, sea);
      await expect(stage).toHaveAttribute('data-scale', '2.000');
      await context.close();
    });
  }

  test('tapping a place offers its chapter, and opens it', async ({ kiosk: page, preview }) => {
    const exhibit = await servedExhibit(preview.url);
    const place =
      exhibit.map!.places.find((p) => p.id === 'harbin') ?? exhibit.map!.places.find((p) => p.chapter)!;
    await openExtra(page, 'map');
    await expect(page.locator('section[data-screen=map] path.land').first()).toBeAttached();
    await tapOn(page, `[data-place=${place.id}] text`);
    const popover = page.locator('section[data-screen=map] .popover');
    await expect(popover).toContainText(place.name.en!);
    await tapOn(page, '.popover button.open');
    await expect(page.getByTestId('chapter')).toHaveAttribute(
      'data-index',
      String(chapterIndex(exhibit, place.chapter!)),
    );
  });
});

test.describe('extras: the campaign map’s place cards', () => {
  for (const orientation of Object.keys(ORIENTATIONS) as Orientation[]) {
    test.use({ orientation });
    test(`every place's card fits whole inside the map, however near its edge the place is (${orientation})`, async ({
      kiosk: page,
      preview,
    }) => {
      const exhibit = await servedExhibit(preview.url);
      await openExtra(page, 'map');
      await expect(page.locator('section[data-screen=map] path.land').first()).toBeAttached();
      const stage = (await page.locator('section[data-screen=map] .stage').boundingBox())!;
      const card = page.locator('section[data-screen=map] .popover');
      const outside: string[] = [];
      for (const place of exhibit.map!.places) {
        await tapOn(page, `[data-place=${place.id}] text`);
        await expect(card).toContainText(place.name.en!);
        const b = (await card.boundingBox())!;
        if (b.x < stage.x || b.x + b.width > stage.x + stage.width) {
          outside.push(
            `${place.id}: ${Math.round(b.x - stage.x)}..${Math.round(b.x + b.width - stage.x)} of ${stage.width}`,
          );
        }
        await tapOn(page, 'section[data-screen=map] .popover button.close');
        await expect(card).toHaveCount(0);
      }
      expect(outside).toEqual([]);
    });
  }
});

test.describe('extras: the campaign map under a moving finger', () => {
  for (const orientation of Object.keys(ORIENTATIONS) as Orientation[]) {
    test.use({ orientation });
    test(`a place's dot, name and card move with the map under a finger, and stay put when it lifts (${orientation})`, async ({
      kiosk: page,
      preview,
    }) => {
      const exhibit = await servedExhibit(preview.url);
      const place =
        exhibit.map!.places.find((p) => p.id === 'harbin') ?? exhibit.map!.places.find((p) => p.chapter)!;
      await openExtra(page, 'map');
      await expect(page.locator('section[data-screen=map] path.land').first()).toBeAttached();
      // Zoomed in, so the map has room to move.
      await tapOn(page, 'section[data-screen=map] .controls button.round >> nth=0');
      await expect(page.locator('section[data-screen=map] .stage')).toHaveAttribute('data-scale', '1.600');
      await tapOn(page, `[data-place=${place.id}] text`);
      await expect(page.locator('section[data-screen=map] .popover')).toContainText(place.name.en!);
      // Centres of the place's dot and name and the top middle of its card, in viewport px.
      const where = () =>
        page.evaluate((id) => {
          const centre = (el: Element) => {
            const r = el.getBoundingClientRect();
            return [r.x + r.width / 2, r.y + r.height / 2];
          };
          const g = document.querySelector(`section[data-screen=map] [data-place="${id}"]`)!;
          const card = document.querySelector('section[data-screen=map] .popover')!.getBoundingClientRect();
          return [
            ...centre(g.querySelector('circle')!),
            ...centre(g.querySelector('text')!),
            card.x + card.width / 2,
            card.y,
          ];
        }, place.id);
      const near = (got: number[], want: number[], what: string) =>
        got.forEach((v, i) =>
          expect(Math.abs(v - want[i]!), `${what}: ${got} against ${want}`).toBeLessThanOrEqual(1.5),
        );

      const at = await where();
      const box = (await page.locator('section[data-screen=map] .stage').boundingBox())!;
      // Sideways, towards the middle of the map, so the card neither meets the edge nor flips.
      const from = { x: box.x + box.width * 0.5, y: box.y + box.height * 0.85 };
      const d = { x: at[0]! < box.x + box.width / 2 ? 120 : -120, y: 0 };
      await touchDown(page, from);
      for (let i = 1; i <= 8; i++)
        await touchMove(page, { x: from.x + (d.x * i) / 8, y: from.y + (d.y * i) / 8 });
      await expect
        .poll(async () => (await where())[0]! - at[0]!, { message: 'the dot follows the finger' })
        .toBeCloseTo(d.x, 0);
      const dragged = await where();
      near(
        dragged,
        at.map((v, i) => v + (i % 2 === 0 ? d.x : d.y)),
        'while the finger is down',
      );
      await touchUp(page);
      await page.waitForTimeout(300);
      near(await where(), dragged, 'after the finger lifts');
      // And they are placed anew for the view the finger left, not left as a moved picture.
      await expect
        .poll(() =>
          page
            .locator('section[data-screen=map] svg.overlay')
            .evaluate((el) => getComputedStyle(el).transform),
        )
        .toBe('none');
      await expect(page.locator('section[data-screen=map] .stage')).toHaveAttribute('data-scale', '1.600');

      // Two fingers spreading, held: the dot stays on its spot of the land as the map grows under
      // them, and there it stays when they lift.
      // Dot and land are read in one go: touch moves are handled on the page's frames, so two
      // separate reads can straddle a step of the pinch.
      const onLand = () =>
        page.evaluate((id) => {
          const dot = document
            .querySelector(`section[data-screen=map] [data-place="${id}"] circle`)!
            .getBoundingClientRect();
          const boxes = [...document.querySelectorAll('section[data-screen=map] path.land')].map((l) =>
            l.getBoundingClientRect(),
          );
          const b = boxes.sort((p, q) => q.width * q.height - p.width * p.height)[0]!;
          return [(dot.x + dot.width / 2 - b.x) / b.width, (dot.y + dot.height / 2 - b.y) / b.height];
        }, place.id);
      const spot = await onLand();
      const c = { x: box.x + box.width * 0.5, y: box.y + box.height * 0.85 };
      await fingers(page, 'touchStart', [
        { x: c.x - 60, y: c.y },
        { x: c.x + 60, y: c.y },
      ]);
      for (let i = 1; i <= 6; i++)
        await fingers(page, 'touchMove', [
          { x: c.x - 60 - 25 * i, y: c.y },
          { x: c.x + 60 + 25 * i, y: c.y },
        ]);
      await expect
        .poll(async () =>
          Number(await page.locator('section[data-screen=map] .stage').getAttribute('data-scale')),
        )
        .toBeGreaterThan(2.5);
      const near3 = (got: number[], what: string) =>
        got.forEach((v, i) =>
          expect(Math.abs(v - spot[i]!), `${what}: ${got} against ${spot}`).toBeLessThan(0.003),
        );
      near3(await onLand(), 'while two fingers spread the map');
      await touchUp(page);
      await page.waitForTimeout(300);
      near3(await onLand(), 'after they lift');
    });
  }
});

test('the spot between two spreading fingers stays between them, to the pixel', async ({
  kiosk: page,
  preview,
}) => {
  const exhibit = await servedExhibit(preview.url);
  const place = exhibit.map!.places.find((p) => p.id === 'harbin') ?? exhibit.map!.places[0]!;
  await openExtra(page, 'map');
  const dot = `section[data-screen=map] [data-place=${place.id}] circle`;
  await expect(page.locator(dot)).toBeAttached();
  const at = await centreOf(page, dot);
  // Spread about the dot's centre: the map grows about that point, which must not move.
  await pinch(page, at, 120, 480);
  await expect
    .poll(async () =>
      Number(await page.locator('section[data-screen=map] .stage').getAttribute('data-scale')),
    )
    .toBeGreaterThan(3);
  await page.waitForTimeout(300);
  const now = await centreOf(page, dot);
  // A point read from the stage's outer edge instead of inside its border is off by the border
  // times the zoom.
  expect(Math.abs(now.x - at.x), `x: ${now.x} against ${at.x}`).toBeLessThan(0.75);
  expect(Math.abs(now.y - at.y), `y: ${now.y} against ${at.y}`).toBeLessThan(0.75);
});

/** Turns an access mode on the way a visitor does: the Access button, the mode's switch, Close. */
async function switchMode(page: Page, mode: 'largeText' | 'highContrast' | 'reducedMotion') {
  await tapOn(page, '[data-testid=access-button]');
  await expect(page.getByTestId('access-panel')).toBeVisible();
  await tapOn(page, `[data-testid=access-toggle-${mode}]`);
  await expect(page.getByTestId(`access-toggle-${mode}`)).toHaveAttribute('aria-checked', 'true');
  await tapOn(page, '[data-testid=access-close]');
  await expect(page.getByTestId('access-panel')).toBeHidden();
}

const EXTRAS: readonly Extra[] = ['timeline', 'numbers', 'map', 'credits'];

/**
 * Text on each screen whose size a visitor reads by, in CSS px: `body` is running
 * text (>= 36 px in large text), `other` the dates, labels, legends and headings.
 */
const TEXT: Record<Extra, { body: string[]; other: string[] }> = {
  timeline: { body: ['.what'], other: ['time', '.go', '.head p'] },
  numbers: { body: ['.label'], other: ['.value', 'h2', '.head p'] },
  map: { body: [], other: ['.hint', '.route', '.legend strong', '.places button', '[data-place] text'] },
  credits: { body: ['.block p:not(.muted)'], other: ['h2', '.muted', '.head p'] },
};

async function textSizes(page: Page, extra: Extra): Promise<Record<string, number>> {
  const section = page.locator(`section[data-screen=${extra}]`);
  if (extra === 'map') await expect(section.locator('[data-place] text').first()).toBeAttached();
  const sizes: Record<string, number> = {};
  for (const sel of [...TEXT[extra].body, ...TEXT[extra].other]) {
    sizes[sel] = await section
      .locator(sel)
      .first()
      .evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  }
  return sizes;
}

for (const orientation of Object.keys(ORIENTATIONS) as Orientation[]) {
  test.describe(`extras in the access modes (${orientation})`, () => {
    test.use({ orientation });

    test('large text makes every extra screen’s words larger, and none spill out, in both languages', async ({
      kiosk: page,
    }) => {
      const before: Partial<Record<Extra, Record<string, number>>> = {};
      for (const extra of EXTRAS) {
        await openExtra(page, extra);
        before[extra] = await textSizes(page, extra);
        await page.getByTestId('home-button').click();
      }
      await switchMode(page, 'largeText');
      for (const lang of LANGS) {
        for (const extra of EXTRAS) {
          await openExtra(page, extra, lang);
          const after = await textSizes(page, extra);
          for (const [sel, px] of Object.entries(after)) {
            expect(px, `${extra} ${sel}: ${before[extra]![sel]} px -> ${px} px`).toBeGreaterThanOrEqual(
              before[extra]![sel]! * 1.15,
            );
          }
          for (const sel of TEXT[extra].body) {
            expect(after[sel], `${extra} ${sel} is body text`).toBeGreaterThanOrEqual(36);
          }
          expect(await overflowing(page, `section[data-screen=${extra}]`), `${extra} in ${lang}`).toEqual([]);
          await page.getByTestId('home-button').click();
        }
      }
    });

    test('high contrast draws every extra screen in white and yellow on black', async ({ kiosk: page }) => {
      await expect(page.getByTestId('attract')).toBeVisible();
      const { width, height } = page.viewportSize()!;
      await tap(page, { x: width / 2, y: height / 2 });
      await switchMode(page, 'highContrast');
      for (const extra of EXTRAS) {
        await openExtra(page, extra);
        const section = `section[data-screen=${extra}]`;
        if (extra === 'map') await expect(page.locator('path.land').first()).toBeAttached();
        const report = await page.locator(section).evaluate((root) => {
          const opaque = (el: Element | null): string => {
            for (; el; el = el.parentElement) {
              const bg = getComputedStyle(el).backgroundColor;
              if (bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') return bg;
            }
            return 'none';
          };
          const pairs = new Set<string>();
          for (const el of root.querySelectorAll<HTMLElement>('*')) {
            if (el.closest('svg') || el.clientWidth <= 1 || el.clientHeight <= 1) continue;
            const hasText = [...el.childNodes].some(
              (n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim(),
            );
            if (hasText) pairs.add(`${getComputedStyle(el).color} on ${opaque(el)}`);
          }
          const thinEdges = [...root.querySelectorAll('button')]
            .filter((b) => b.getClientRects().length > 0)
            .filter((b) => parseFloat(getComputedStyle(b).borderTopWidth) < 2)
            .map((b) => b.textContent!.trim().slice(0, 30));
          return { background: opaque(root), pairs: [...pairs], thinEdges };
        });
        expect(report.background, `${extra} background`).toBe('rgb(0, 0, 0)');
        const allowed = [
          'rgb(255, 255, 255) on rgb(0, 0, 0)',
          'rgb(255, 224, 0) on rgb(0, 0, 0)',
          'rgb(0, 0, 0) on rgb(255, 224, 0)',
        ];
        expect(
          report.pairs.filter((p) => !allowed.includes(p)),
          `${extra} text colours`,
        ).toEqual([]);
        expect(report.pairs.length, `${extra} has text`).toBeGreaterThan(0);
        expect(report.thinEdges, `${extra} controls with an edge`).toEqual([]);

        if (extra === 'map') {
          const map = await page.locator(section).evaluate((root) => {
            const style = (sel: string) => getComputedStyle(root.querySelector(sel)!);
            return {
              sea: style('.stage').backgroundColor,
              land: style('path.land').fill,
              coast: style('path.land').stroke,
              shafts: [...root.querySelectorAll('g.arrow .shaft')].map((e) => getComputedStyle(e).stroke),
              names: [...root.querySelectorAll('[data-place] text')].map((e) => {
                const s = getComputedStyle(e);
                return `${s.fill} halo ${s.stroke} ${s.strokeWidth}`;
              }),
            };
          });
          expect(map.sea).toBe('rgb(0, 0, 0)');
          expect(map.land).toBe('rgb(0, 0, 0)');
          expect(map.coast).toBe('rgb(255, 255, 255)');
          expect(new Set(map.shafts)).toEqual(new Set(['rgb(255, 224, 0)']));
          for (const n of map.names) expect(n).toMatch(/^rgb\(255, 255, 255\) halo rgb\(0, 0, 0\) [6-9]px$/);
        }
        await page.getByTestId('home-button').click();
      }
    });
  });
}

test.describe('extras: the campaign map without colour', () => {
  for (const mode of ['default', 'high contrast'] as const) {
    test(`each front has its own line pattern, on the map and in the legend (${mode})`, async ({
      kiosk: page,
    }) => {
      if (mode === 'high contrast') {
        await page.evaluate(() =>
          (window as { __vitrineAccess?: { set(m: string, on: boolean): void } }).__vitrineAccess!.set(
            'highContrast',
            true,
          ),
        );
      }
      await openExtra(page, 'map');
      const section = page.locator('section[data-screen=map]');
      await expect(section.locator('g.arrow').first()).toBeAttached();
      const patterns = await section.evaluate((root) => {
        const byForce = new Map<string, Set<string>>();
        for (const g of root.querySelectorAll('g.arrow')) {
          const dash = getComputedStyle(g.querySelector('.shaft')!).strokeDasharray;
          const set = byForce.get(g.getAttribute('data-force')!) ?? new Set();
          set.add(dash);
          byForce.set(g.getAttribute('data-force')!, set);
        }
        const legend = [...root.querySelectorAll('.legend .swatch path')].map(
          (p) => getComputedStyle(p).strokeDasharray,
        );
        return { map: [...byForce.values()].map((s) => [...s]), legend };
      });
      // One pattern per force wherever it is drawn, and no two forces alike.
      for (const p of patterns.map) expect(p).toHaveLength(1);
      const map = patterns.map.map((p) => p[0]);
      expect(new Set(map).size).toBe(map.length);
      expect(map.length).toBeGreaterThanOrEqual(4);
      expect(new Set(patterns.legend).size).toBe(patterns.legend.length);
      expect(patterns.legend).toHaveLength(map.length);
    });
  }

  test('reduced motion: zooming the map and scrolling the timeline jump, never animate', async ({
    kiosk: page,
  }) => {
    await page.evaluate(() =>
      (window as { __vitrineAccess?: { set(m: string, on: boolean): void } }).__vitrineAccess!.set(
        'reducedMotion',
        true,
      ),
    );
    await openExtra(page, 'timeline');
    expect(
      await page
        .locator('section[data-screen=timeline] .scroll')
        .evaluate((el) => getComputedStyle(el).scrollBehavior),
    ).toBe('auto');
    await page.getByTestId('home-button').click();
    await openExtra(page, 'map');
    await expect(page.locator('section[data-screen=map] path.land').first()).toBeAttached();
    await tapOn(page, 'section[data-screen=map] .controls .round');
    // Read in the same task as nothing else runs: the map must already be at its new scale.
    const now = await page.locator('section[data-screen=map]').evaluate((root) => {
      const base = root.querySelector<SVGElement>('svg.base')!;
      return {
        running: root.getAnimations({ subtree: true }).filter((a) => a.playState === 'running').length,
        shown: new DOMMatrix(getComputedStyle(base).transform).a,
        target: Number(root.querySelector('.stage')!.getAttribute('data-scale')),
      };
    });
    expect(now.running).toBe(0);
    expect(now.target).toBeGreaterThan(1.5);
    expect(now.shown).toBeCloseTo(now.target, 3);
  });
});

test('every extra screen, the map with its land, a place and a pinch, leaves no console error and no failed request', async ({
  kiosk: page,
}) => {
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => r.status() >= 400 && problems.push(`${r.status()}: ${r.url()}`));
  for (const extra of EXTRAS) {
    await openExtra(page, extra);
    if (extra === 'map') {
      const map = page.locator('section[data-screen=map]');
      await expect(map.locator('path.land').first()).toBeAttached();
      await tapOn(page, '[data-place=harbin] text');
      await expect(map.locator('.popover')).toBeVisible();
      await pinch(page, await centreOf(page, 'section[data-screen=map] .stage'), 120, 360);
    }
    await page.waitForTimeout(500);
    await tapOn(page, '[data-testid=home-button]');
  }
  expect(problems).toEqual([]);
});
