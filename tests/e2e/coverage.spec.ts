/**
 * Every date, number and person's name of the seed article is somewhere a
 * visitor can see it, in English and in Russian: a walk by touch through every
 * screen collects what is on screen (text, image alt texts, the captions shown
 * beside placeholder plates), and the article's items are looked up in it.
 * The numbers screen must show each of the article's quantities itself, and
 * the timeline each of its days and years. A second test breaks a copy of the
 * content and expects the detector to name what went missing.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { parseDocument } from 'yaml';
import { startPreview } from '../../main/cli/preview.js';
import { articleItems, missingItems, type ArticleItems, type Missing } from './coverage-article';
import { collectVisible } from './coverage-collect';
import { walkKiosk } from './coverage-walk';
import { expect, screenOf, test } from './kiosk-fixture';

const LANGS = ['en', 'ru'] as const;
const items = articleItems();

/** Everything a visitor sees in `lang` on the whole walk, and per screen. */
async function seenOnWalk(page: Page, lang: string): Promise<{ all: string; screens: Map<string, string> }> {
  const screens = new Map<string, string>();
  const read = async (name: string) => {
    const v = await collectVisible(page);
    screens.set(name, [v.text, ...v.alts].join('\n'));
  };
  await walkKiosk(
    page,
    {
      lang,
      // The attract loop speaks the default language only; a language chosen there wakes the kiosk.
      onAttract: async () => {
        if ((await screenOf(page).getAttribute('data-lang')) === lang) await read('attract');
      },
    },
    read,
  );
  // What was seen, screen by screen, for whoever reads a failure.
  await test.info().attach(`visible-${lang}.txt`, {
    body: [...screens].map(([k, v]) => `### ${k}\n${v}`).join('\n\n'),
    contentType: 'text/plain',
  });
  return { all: [...screens.values()].join('\n'), screens };
}

/** What of `items` the walk in each language did not show: everywhere, on the numbers screen, on the timeline. */
function detect(
  seen: Record<string, { all: string; screens: Map<string, string> }>,
  want: ArticleItems,
): Missing[] {
  const on = (screen: string) =>
    Object.fromEntries(Object.entries(seen).map(([lang, s]) => [lang, s.screens.get(screen) ?? '']));
  const tag = (where: string) => (m: Missing) => ({ ...m, item: `${m.item} (${where})` });
  return [
    ...missingItems(want, Object.fromEntries(Object.entries(seen).map(([l, s]) => [l, s.all]))),
    ...missingItems({ dates: [], numbers: want.quantities, people: [] }, on('numbers')).map(
      tag('numbers screen'),
    ),
    ...missingItems(
      {
        dates: want.dates.filter((d) => d.day !== undefined || d.month === undefined),
        numbers: [],
        people: [],
      },
      on('timeline'),
    ).map(tag('timeline')),
  ];
}

test.describe('the article on screen', () => {
  test.use({ orientation: 'landscape' });

  test('the article has the items this test looks for', () => {
    // Guards the extraction itself: an empty list would make the walk prove nothing.
    expect(items.dates.length).toBeGreaterThan(15);
    expect(items.numbers).toEqual(expect.arrayContaining([1_600_000, 30_000, 5250, 308_000, 700_000, 23]));
    expect(items.quantities).not.toContain(1945);
    expect(items.people).toEqual(
      expect.arrayContaining(['Rodion Malinovsky', 'Kuzma Derevyanko', 'Pavel Sudakov']),
    );
  });

  for (const lang of LANGS) {
    test(`every date, number and name of the article is shown in ${lang}`, async ({ kiosk: page }) => {
      test.setTimeout(120_000);
      const seen = await seenOnWalk(page, lang);
      expect(detect({ [lang]: seen }, items)).toEqual([]);
    });
  }
});

test.describe('the detector', () => {
  test.use({ orientation: 'landscape' });
  let dir: string;

  test.beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'vitrine-coverage-'));
    await cp(fileURLToPath(new URL('../../assets/exhibit', import.meta.url)), dir, { recursive: true });
    const file = path.join(dir, 'exhibit.yaml');
    const doc = parseDocument(await readFile(file, 'utf8'));
    // Drop one figure from the numbers screen...
    const figures = doc.get('figures') as { items: { get(k: string): unknown }[] };
    figures.items = figures.items.filter((f) => f.get('id') !== 'guards');
    // ...and the paragraph naming the fronts' commanders, keeping a stub so the chapter stays valid.
    const chapters = doc.get('chapters') as {
      items: { get(k: string): unknown; setIn(p: unknown[], v: unknown): void }[];
    };
    const forces = chapters.items.find((c) => c.get('id') === 'forces-and-commanders')!;
    forces.setIn(['body', 0], doc.createNode({ en: 'Three fronts and a fleet.', ru: 'Три фронта и флот.' }));
    await writeFile(file, doc.toString());
  });
  test.afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('names what a broken copy of the content no longer shows', async ({ page }) => {
    test.setTimeout(120_000);
    const preview = await startPreview({ port: 0, open: false, quiet: true, watch: false, contentDir: dir });
    try {
      await page.goto(preview.url);
      const seen = { en: await seenOnWalk(page, 'en') };
      const missing = detect(seen, items);
      expect(missing).toEqual(
        expect.arrayContaining([
          { lang: 'en', kind: 'number', item: '25 (numbers screen)' },
          { lang: 'en', kind: 'person', item: 'Maxim Purkayev' },
          { lang: 'en', kind: 'person', item: 'Ivan Yumashev' },
        ]),
      );
    } finally {
      await preview.close();
    }
  });
});
