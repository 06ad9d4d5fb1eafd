/**
 * However long a chapter's words are, the chapter screen keeps its picture: a
 * 5,000-character body, a 200-character title and a caption at the 230-character
 * limit (and, in a second variant, an 80-character word with no break in it)
 * leave the picture on screen at a useful size, no text spilling out of its box,
 * the whole text reachable by scrolling the text column with a finger, and the
 * pager and Listen dock where they always are and answering a tap. The real
 * host serves the bundled exhibit; only the exhibit in its page and `/api/exhibit` are rewritten.
 */
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { Exhibit } from '../../main/content/schema.js';
import { CAPTION_LIMIT } from '../../main/content/limits.js';
import { expect, ORIENTATIONS, test, type Orientation } from './kiosk-fixture.js';
import { findOverflow } from './overflow-check.js';
import { swipe, tap, tapOn } from './touch.js';

/**
 * The smallest share of the screen's height the chapter's picture may take. In portrait the
 * bundled exhibit's own chapters give their picture 22 to 29 % of the height (a row of
 * thumbnails and a two-line caption take the rest), so long text may not push it below 20 %.
 */
const MIN_PICTURE_SHARE: Record<Orientation, number> = { landscape: 0.4, portrait: 0.2 };
/** The words the body ends with; reading them means the whole text was reachable. */
const LAST_WORDS = 'and here the long chapter finally ends';
const LONG_WORD = 'Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft';

/** `n` characters of ordinary prose (words of 3 to 11 letters), starting with `lead`. */
function prose(n: number, lead = ''): string {
  const words = ['museum', 'archive', 'the', 'restoration', 'of', 'letters', 'harbour', 'winter', 'glass'];
  let s = lead;
  for (let i = 0; s.length < n; i++) s += (s ? ' ' : '') + words[(i * 7) % words.length];
  return s.slice(0, n).trimEnd();
}

/** The same words in every language the exhibit speaks. */
function everyLang<T extends Record<string, string>>(like: T, text: string): T {
  return Object.fromEntries(Object.keys(like).map((k) => [k, text])) as T;
}

interface Variant {
  name: string;
  title: string;
  body: string[];
  caption: string;
  /** The caption is over the checks' limit (content that skipped them): it may end in an ellipsis. */
  overLimit?: boolean;
}

const VARIANTS: Variant[] = [
  {
    name: 'long prose',
    title: prose(200, 'A title of two hundred characters:'),
    // Five paragraphs of 1,000 characters; the last ends with the words the test looks for.
    body: [0, 1, 2, 3, 4].map((i) =>
      i < 4 ? prose(1000) : prose(1000 - LAST_WORDS.length - 1) + ' ' + LAST_WORDS,
    ),
    caption: prose(CAPTION_LIMIT, 'A caption at the limit:'),
  },
  {
    name: 'an unbroken 80-character word',
    title: prose(200, `${LONG_WORD} `),
    body: [0, 1, 2, 3, 4].map((i) =>
      i < 4 ? prose(1000, `${LONG_WORD} `) : prose(1000 - LAST_WORDS.length - 1) + ' ' + LAST_WORDS,
    ),
    caption: prose(CAPTION_LIMIT, `${LONG_WORD} `),
  },
  {
    name: 'a caption far over the limit',
    title: prose(200, 'A title of two hundred characters:'),
    body: [prose(1000 - LAST_WORDS.length - 1) + ' ' + LAST_WORDS],
    caption: prose(1000, 'A caption four times too long:') + ' and its last words',
    overLimit: true,
  },
];

/** The payload with chapter `index` given the variant's words. */
function lengthen(payload: { exhibit: Exhibit }, index: number, v: Variant): void {
  const ch = payload.exhibit.chapters[index]!;
  ch.title = everyLang(ch.title, v.title);
  ch.body = v.body.map((p) => everyLang(ch.body[0]!, p));
  ch.images[0]!.caption = everyLang(ch.images[0]!.caption, v.caption);
}

/**
 * Serves the bundled exhibit with chapter `index` given the variant's words:
 * in the page the host serves (which carries the exhibit) and in `/api/exhibit`.
 */
async function serveLong(page: Page, url: string, index: number, v: Variant): Promise<void> {
  const inline = /(<script type="application\/json" id="vitrine-exhibit">)([\s\S]*?)(<\/script>)/;
  await page.route(url, async (route) => {
    const res = await route.fetch();
    const html = (await res.text()).replace(inline, (_m, open: string, json: string, close: string) => {
      const payload = JSON.parse(json) as { exhibit: Exhibit };
      lengthen(payload, index, v);
      return open + JSON.stringify(payload).replace(/</g, '\\u003c') + close;
    });
    await route.fulfill({ response: res, body: html });
  });
  await page.route('**/api/exhibit', async (route) => {
    const res = await route.fetch();
    const payload = (await res.json()) as { exhibit: Exhibit };
    lengthen(payload, index, v);
    await route.fulfill({ response: res, json: payload });
  });
}

/** Where the pager's buttons and the Listen dock are drawn. */
async function controls(page: Page) {
  const box = async (id: string) => (await page.getByTestId(id).boundingBox())!;
  return { prev: await box('prev'), next: await box('next'), dock: await box('audio-dock') };
}

/** Whether a finger put at the centre of `testId` lands on it (nothing covers it). */
function reachable(page: Page, testId: string): Promise<boolean> {
  return page.getByTestId(testId).evaluate((el) => {
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
    return hit !== null && el.contains(hit);
  });
}

for (const orientation of Object.keys(ORIENTATIONS) as Orientation[]) {
  test.describe(`a chapter with long text (${orientation})`, () => {
    test.use({ orientation });

    for (const v of VARIANTS) {
      test(`keeps its picture and all its words reachable: ${v.name}`, async ({ page, preview }) => {
        test.setTimeout(90_000);
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        const plain = (await (await fetch(new URL('api/exhibit', preview.url))).json()) as {
          exhibit: Exhibit;
        };
        // The hardest case: the chapter with the most pictures, whose thumbnails take room too.
        // It must have a following chapter to compare the pager with.
        const chapters = plain.exhibit.chapters.slice(0, -1);
        const most = Math.max(...chapters.map((c) => c.images.length));
        const index = chapters.findIndex((c) => c.images.length === most);
        expect(most).toBeGreaterThan(0);
        await serveLong(page, preview.url, index, v);

        await page.goto(preview.url);
        await expect(page.getByTestId('attract')).toBeVisible();
        const { width: vw, height: vh } = page.viewportSize()!;
        await tap(page, { x: vw / 2, y: vh / 2 });
        await expect(page.getByTestId('home')).toBeVisible();
        await tapOn(page, `[data-testid=chapter-card] >> nth=${index}`);
        await expect(page.getByTestId('chapter-title')).toHaveText(v.title);
        await expect(page.getByTestId('audio-dock')).toBeVisible();
        await page.evaluate(() => document.fonts.ready);
        await page.waitForTimeout(700);
        await page.screenshot({
          path: path.join(test.info().outputDir, `${orientation}-${v.name.replace(/\W+/g, '-')}.png`),
        });

        // The picture: wholly on screen, and tall enough to look at.
        const frame = (await page.getByTestId('chapter-image').boundingBox())!;
        expect(frame.x).toBeGreaterThanOrEqual(0);
        expect(frame.y).toBeGreaterThanOrEqual(0);
        expect(frame.x + frame.width).toBeLessThanOrEqual(vw);
        expect(frame.y + frame.height).toBeLessThanOrEqual(vh);
        expect(frame.height, 'picture height').toBeGreaterThanOrEqual(vh * MIN_PICTURE_SHARE[orientation]);
        expect(frame.width, 'picture width').toBeGreaterThanOrEqual(vw * 0.3);
        // The caption's box is on screen, not pushed below the pager.
        await expect(page.getByTestId('caption')).toHaveText(v.caption);
        await expect(page.getByTestId('caption')).toBeInViewport({ ratio: 1 });

        // No text overflows its box; a caption over the limit may only end in an ellipsis,
        // and is read in full in the viewer and in the picture button's name.
        const issues = (await findOverflow(page)).map((i) => `${i.kind} ${i.where}`);
        const clamped =
          'ellipsis article[data-testid=chapter].chapter > div.media > div.figcaption > p[data-testid=caption].caption';
        expect(
          v.overLimit ? issues.filter((i) => i !== clamped) : issues,
          'no text overflows its box',
        ).toEqual([]);
        if (v.overLimit) {
          expect(issues, 'the over-long caption ends in an ellipsis').toContain(clamped);
          await expect(page.getByTestId('chapter-image')).toHaveAccessibleName(
            new RegExp(`${v.caption.slice(-40)}`),
          );
          await tapOn(page, '[data-testid=chapter-image]');
          await expect(page.getByTestId('viewer-caption')).toHaveText(v.caption);
          await tapOn(page, '[data-testid=viewer-close]');
          await expect(page.getByTestId('viewer')).toBeHidden();
        }

        // The whole text is reachable: swiping up in the text column brings its last words into it.
        const column = page.getByTestId('chapter-text');
        const col = (await column.boundingBox())!;
        const from = { x: col.x + col.width / 2, y: col.y + col.height * 0.8 };
        const to = { x: from.x, y: col.y + col.height * 0.2 };
        for (let i = 0; i < 40; i++) {
          const atEnd = await column.evaluate((el) => el.scrollTop + el.clientHeight >= el.scrollHeight - 1);
          if (atEnd) break;
          await swipe(page, from, to);
        }
        await expect
          .poll(() => column.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight))
          .toBeLessThanOrEqual(1);
        const last = page.getByTestId('chapter-text').locator('.body p').last();
        await expect(last).toContainText(LAST_WORDS);
        const lastBox = (await last.boundingBox())!;
        expect(lastBox.y + lastBox.height, 'the last words are inside the column').toBeLessThanOrEqual(
          col.y + col.height,
        );
        expect(lastBox.y + lastBox.height).toBeGreaterThan(col.y);
        // Scrolling the text never moved the picture.
        expect((await page.getByTestId('chapter-image').boundingBox())!).toEqual(frame);

        // The pager and the dock: where an ordinary chapter has them, and answering a finger.
        const here = await controls(page);
        for (const id of ['prev', 'next', 'audio-dock']) expect(await reachable(page, id), id).toBe(true);
        await tapOn(page, '[data-testid=next]');
        await expect(page.getByTestId('position')).toHaveText(String(index + 2));
        // The page slid out is gone before the ordinary one is measured.
        await expect(page.getByTestId('chapter-title')).toHaveCount(1);
        await expect(page.getByTestId('chapter-title')).not.toHaveText(v.title);
        await page.waitForTimeout(700);
        expect(await controls(page)).toEqual(here);
        await tapOn(page, '[data-testid=prev]');
        await expect(page.getByTestId('position')).toHaveText(String(index + 1));
        await expect(page.getByTestId('chapter-title')).toHaveCount(1);
        await expect(page.getByTestId('chapter-title')).toHaveText(v.title);
        expect(errors, 'no uncaught errors in the renderer').toEqual([]);
      });
    }
  });
}
