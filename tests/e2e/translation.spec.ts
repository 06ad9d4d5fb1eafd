/**
 * A partly translated language on the real kiosk: German added to the
 * bundled exhibit with a partial `interface: de:` section and one chapter
 * title left untranslated. A visitor who switches to German by touch reads
 * the German buttons, English where the interface translation has a gap,
 * and the exhibit's first language (here Russian) where a text has none.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { startPreview, type Preview } from '../../main/cli/preview.js';
import { expect, ORIENTATIONS, screenOf, test as kioskTest, type Orientation } from './kiosk-fixture.js';
import { findOverflow } from './overflow-check.js';
import { tap, tapOn } from './touch.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The interface strings the curator translated; every other key is left to English. */
const GERMAN = {
  'nav.home': 'Startseite',
  'nav.next': 'Weiter',
  'nav.previous': 'Zurück',
  'home.chapters': 'Kapitel',
  'home.more': 'Mehr entdecken',
  'extras.timeline.title': 'Zeitleiste',
  'extras.numbers.title': 'In Zahlen',
  'extras.map.title': 'Karte des Feldzugs',
  'access.button': 'Barrierefreiheit',
  'lang.switch': 'Sprache',
};
const GERMAN_TITLE = 'Die Neutralität wird verletzt';

const test = kioskTest.extend<object, { contentDir: string }>({
  contentDir: [
    async ({}, use) => {
      const work = await mkdtemp(path.join(os.tmpdir(), 'vitrine-translation-e2e-'));
      const dir = path.join(work, 'content');
      await cp(path.join(root, 'assets', 'exhibit'), dir, { recursive: true });
      const file = path.join(dir, 'exhibit.yaml');
      const doc = parseDocument(await readFile(file, 'utf8'));
      // Russian first: where German is missing visitors read Russian, not the English they started in.
      doc.setIn(['settings', 'languages'], doc.createNode(['ru', 'en', 'de'], { flow: true }));
      doc.setIn(['chapters', 1, 'title', 'de'], GERMAN_TITLE);
      doc.set('interface', doc.createNode({ de: GERMAN }));
      await writeFile(file, doc.toString());
      await use(dir);
      await rm(work, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
  preview: [
    async ({ contentDir }, use) => {
      const preview: Preview = await startPreview({
        contentDir,
        port: 0,
        open: false,
        quiet: true,
        watch: false,
      });
      await use(preview);
      await preview.close();
    },
    { scope: 'worker' },
  ],
});

for (const orientation of Object.keys(ORIENTATIONS) as Orientation[]) {
  test.describe(orientation, () => {
    test.use({ orientation });

    test('a visitor switches to German: German buttons, English for a gap, Russian for an untranslated title', async ({
      kiosk: page,
      preview,
    }, testInfo) => {
      const served = (await (await page.request.get(`${preview.url}api/exhibit`)).json()) as {
        exhibit: { chapters: { title: Record<string, string> }[] };
      };
      const russianTitle = served.exhibit.chapters[0]!.title.ru!;
      const englishTitle = served.exhibit.chapters[0]!.title.en!;

      const { width, height } = page.viewportSize()!;
      await tap(page, { x: width / 2, y: height / 3 });
      await expect(screenOf(page)).toHaveAttribute('data-screen', 'home');
      const cards = page.getByTestId('chapter-card');
      await expect(cards.nth(0)).toContainText(englishTitle);
      await expect(page.getByTestId('extra-map')).toHaveText('Campaign map');

      await tapOn(page, '[data-testid=lang-switch] [data-lang=de]');
      await expect(page.locator('html')).toHaveAttribute('lang', 'de');
      // The curator's German, on the kiosk's own buttons.
      await expect(page.getByTestId('extra-map')).toHaveText('Karte des Feldzugs');
      await expect(page.getByTestId('extra-timeline')).toHaveText('Zeitleiste');
      await expect(page.getByTestId('access-button')).toContainText('Barrierefreiheit');
      // A key the section leaves out reads in English.
      await expect(page.getByTestId('extra-credits')).toHaveText('Credits and sources');
      // A chapter title without German reads in the exhibit's first language; a translated one in German.
      await expect(cards.nth(0)).toContainText(russianTitle);
      await expect(cards.nth(1)).toContainText(GERMAN_TITLE);

      await page.screenshot({ path: testInfo.outputPath(`german-home-${orientation}.png`) });
      expect(await findOverflow(page), 'no German text overflows the home screen').toEqual([]);

      await tapOn(page, '[data-testid=chapter-card] >> nth=1');
      await expect(page.locator('.page:not([data-leaving]) [data-testid=chapter-title]')).toHaveText(
        GERMAN_TITLE,
      );
      await expect(page.getByTestId('next')).toContainText('Weiter');
      await expect(page.getByTestId('prev')).toContainText('Zurück');
      await expect(page.getByTestId('home-button')).toContainText('Startseite');
      await page.screenshot({ path: testInfo.outputPath(`german-chapter-${orientation}.png`) });
      expect(await findOverflow(page), 'no German text overflows the chapter screen').toEqual([]);
    });
  });
}
