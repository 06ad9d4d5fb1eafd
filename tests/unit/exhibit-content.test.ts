import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadExhibit, VARIANTS_FILE } from '../../main/content/load.js';
import { localizedTexts, type Exhibit, type ImageSlot } from '../../main/content/schema.js';
import sharp, { type Sharp } from 'sharp';
import { VARIANT_EDGES } from '../../main/content/build.js';
import {
  layoutPlate,
  makePlates,
  Measurer,
  PLATE_HEIGHT,
  PLATE_WIDTH,
  placeholderSlots,
  renderPlate,
} from '../../main/tools/make-plates.js';
import { MONTHS, normalise, readArticle, RU_MONTHS_GENITIVE, type Article } from './article.js';

const CONTENT_DIR = fileURLToPath(new URL('../../assets/exhibit', import.meta.url));
const MFA_PUBLISHED = 'Published by the Ministry of Foreign Affairs of the Russian Federation';

const RU_MONTH_STEMS = [
  'январ',
  'феврал',
  'март',
  'апрел',
  'ма',
  'июн',
  'июл',
  'август',
  'сентябр',
  'октябр',
  'ноябр',
  'декабр',
];

/**
 * People as Russian sources name them. Patterns allow for declension
 * ("Родиона Малиновского"); a person the article names but this table lacks
 * fails the test, so a new name cannot slip through untranslated.
 */
const RU_PEOPLE: Record<string, RegExp> = {
  'Rodion Malinovsky': /Родион\p{L}* Малиновск/u,
  'Kirill Meretskov': /Кирилл\p{L}* Мерецков/u,
  'Maxim Purkayev': /Максим\p{L}* Пуркаев/u,
  'Ivan Yumashev': /Иван\p{L}* Юмашев/u,
  'Alexander Vasilevsky': /Александр\p{L}* Василевск/u,
  'Kuzma Derevyanko': /Кузьм\p{L}* Деревянко/u,
  'Pavel Sudakov': /Пав(?:ел|ла) Судаков/u,
};

/** Other proper names the Russian must render as Russian sources do. */
const RU_GLOSSARY: Record<string, RegExp> = {
  'Kwantung Army': /Квантунск\p{L}* арми/u,
  Kantokuen: /«Кантокуэн»/u,
  'Transbaikal Front': /Забайкальск\p{L}* фронт/u,
  '1st Far Eastern Front': /1-\p{L}+ Дальневосточн\p{L}* фронт/u,
  '2nd Far Eastern Front': /2-\p{L}+ Дальневосточн\p{L}* фронт/u,
  'Pacific Fleet': /Тихоокеанск\p{L}* флот/u,
  'Amur Military Flotilla': /Амурск\p{L}* военн\p{L}* флотили/u,
  'Northern Pacific Military Flotilla': /Северн\p{L}* Тихоокеанск\p{L}* военн\p{L}* флотили/u,
  Manchukuo: /Маньчжоу-Го/u,
  'Port Arthur': /Порт-Артур/u,
  Dalniy: /Дальн(?:ий|его|им)(?!\p{L})/u,
  Harbin: /Харбин/u,
  Vladivostok: /Владивосток/u,
  'USS Missouri': /линкор\p{L}* «Миссури»/u,
  'Tokyo Bay': /Токийск\p{L}* залив/u,
  'Lake Baikal': /озер\p{L}* Байкал/iu,
  'No. 32-FZ': /№ 32-ФЗ/u,
  'On the Days of Military Glory and Memorable Dates of Russia':
    /«О днях воинской славы и памятных датах России»/u,
};

let exhibit: Exhibit;
let article: Article;
let en: string;
let ru: string;

function textsIn(lang: string): string {
  return [...localizedTexts(exhibit)].map(({ text }) => normalise(text[lang] ?? '')).join('\n');
}
const slots = (): ImageSlot[] => exhibit.chapters.flatMap((c) => c.images);
const stripEnd = (s: string) => normalise(s).replace(/\.$/, '');

/** Numbers an English text states, as values: "1.6 million" is 1600000, "5,250" is 5250. */
function englishNumbers(text: string): number[] {
  return [...text.matchAll(/(\d+(?:,\d{3})*(?:\.\d+)?)(\s+million)?/g)].map(
    (m) => Number(m[1]!.replace(/,/g, '')) * (m[2] ? 1e6 : 1),
  );
}
/** Numbers a Russian text states: "1,6 млн", "700 тыс.", "30 000", "5250". */
function russianNumbers(text: string): number[] {
  return [...text.matchAll(/(\d+(?:[\u00a0\u202f ]\d{3}(?!\d))*(?:,\d+)?)(?:\s*(тыс\.|млн))?/g)].map((m) => {
    const v = Number(m[1]!.replace(/[\u00a0\u202f ]/g, '').replace(',', '.'));
    return Math.round(v * (m[2] === 'млн' ? 1e6 : m[2] === 'тыс.' ? 1e3 : 1));
  });
}

beforeAll(async () => {
  const result = await loadExhibit(CONTENT_DIR);
  if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 2));
  exhibit = result.exhibit;
  article = readArticle();
  en = textsIn('en');
  ru = textsIn('ru');
});

describe('the bundled exhibit', () => {
  it('validates, in English and Russian, with the kiosk timings the museum asked for', async () => {
    const result = await loadExhibit(CONTENT_DIR);
    expect(result.problems).toEqual([]);
    expect(exhibit.settings).toMatchObject({
      languages: ['en', 'ru'],
      defaultLanguage: 'en',
      idleSeconds: 90,
      countdownSeconds: 15,
      attractSecondsPerSlide: 9,
    });
  });

  it('credits the source of the text', () => {
    expect(exhibit.source.title.en).toBe(article.title);
    expect(exhibit.source.name.en).toMatch(/Ministry of Foreign Affairs/);
    expect(article.source).toMatch(/MFA/);
  });
});

describe('chapters against the article', () => {
  it('hold every paragraph of the article exactly once, reprinted ones included once', () => {
    const bodies = exhibit.chapters.flatMap((c) => c.body.map((p) => normalise(p.en!)));
    expect(article.repeated.length).toBeGreaterThan(0);
    for (const paragraph of article.paragraphs) {
      expect(
        bodies.filter((b) => b === paragraph),
        paragraph.slice(0, 60),
      ).toHaveLength(1);
    }
    expect(bodies).toHaveLength(article.paragraphs.length);
  });

  it('follow the article’s order', () => {
    const bodies = exhibit.chapters.flatMap((c) => c.body.map((p) => normalise(p.en!)));
    expect(bodies).toEqual(article.paragraphs);
  });

  it('have a Russian text for every paragraph that is not a copy of the English', () => {
    for (const chapter of exhibit.chapters) {
      for (const p of chapter.body) {
        expect(p.ru).toMatch(/\p{Script=Cyrillic}/u);
        expect(p.ru).not.toBe(p.en);
      }
    }
  });
});

describe('image slots against the article', () => {
  it('give every caption of the article its own slot, with the archive it names as credit', () => {
    expect(article.captions.length).toBeGreaterThan(0);
    for (const caption of article.captions) {
      const matches = slots().filter((s) => stripEnd(s.caption.en!) === stripEnd(caption.text));
      expect(matches, caption.line).toHaveLength(1);
      expect(matches[0]!.credit.en).toBe(caption.archive ?? MFA_PUBLISHED);
    }
    expect(slots()).toHaveLength(article.captions.length);
  });

  it('put each image in the chapter of the paragraph it follows in the article', () => {
    for (const caption of article.captions) {
      const chapter = exhibit.chapters.find((c) =>
        c.images.some((s) => stripEnd(s.caption.en!) === stripEnd(caption.text)),
      );
      expect(
        chapter?.body.map((p) => normalise(p.en!)),
        caption.line,
      ).toContain(caption.after);
    }
  });

  it('describe every image for visitors who cannot see it, and point placeholders at their plate', () => {
    for (const slot of slots()) {
      expect(normalise(slot.alt.en!).length).toBeGreaterThan(30);
      expect(slot.alt.ru).toMatch(/\p{Script=Cyrillic}/u);
      if (slot.placeholder) expect(slot.src).toBe(`media/plates/${slot.id}.svg`);
    }
  });
});

describe('numbers, dates and names of the article', () => {
  const articleText = () => [...article.paragraphs, ...article.captions.map((c) => c.line)].join('\n');

  it('appear in English and, with the same values, in Russian', () => {
    const fromArticle = [...new Set(englishNumbers(articleText()))];
    expect(fromArticle).toEqual(expect.arrayContaining([1_600_000, 30_000, 5250, 308_000, 1905, 32]));
    const inEnglish = new Set(englishNumbers(en));
    const inRussian = new Set(russianNumbers(ru));
    expect(fromArticle.filter((n) => !inEnglish.has(n))).toEqual([]);
    expect(fromArticle.filter((n) => !inRussian.has(n))).toEqual([]);
  });

  it('keep the same numbers, dates and people in each Russian paragraph and caption as in its English', () => {
    const pairs = [
      ...exhibit.chapters.flatMap((c) => c.body),
      ...slots().map((s) => s.caption),
      ...exhibit.timeline.map((t) => t.text),
    ];
    for (const text of pairs) {
      const e = normalise(text.en!);
      const r = normalise(text.ru!);
      const sorted = (ns: number[]) => [...new Set(ns)].sort((a, b) => a - b);
      expect(sorted(russianNumbers(r)), e.slice(0, 60)).toEqual(sorted(englishNumbers(e)));
      for (const [, month, day] of e.matchAll(new RegExp(`(${MONTHS.join('|')}) (\\d{1,2})(?!\\d)`, 'g'))) {
        expect(r, e.slice(0, 60)).toContain(`${day} ${RU_MONTHS_GENITIVE[MONTHS.indexOf(month!)]}`);
      }
      for (const [person, pattern] of Object.entries(RU_PEOPLE)) {
        if (e.includes(person)) expect(pattern.test(r), `${person} in “${r.slice(0, 60)}…”`).toBe(true);
      }
    }
  });

  it('give each quantity of the article a figure on the chapter that states it', () => {
    for (const paragraph of article.paragraphs) {
      // Quantities, not dates, years, ordinals ("1st") or designations ("T-34-85", "32-FZ").
      const stripped = paragraph
        .replace(new RegExp(`(?:${MONTHS.join('|')}) \\d{1,2}(?:, \\d{4})?`, 'g'), '')
        .replace(/\b(?:1[89]|20)\d\d\b/g, '')
        .replace(/\b\d+(?:st|nd|rd|th)\b/g, '')
        .replace(/[-\w]*\d+-[-\w]*|No\. \d+/g, '');
      const chapter = exhibit.chapters.find((c) => c.body.some((p) => normalise(p.en!) === paragraph))!;
      for (const n of englishNumbers(stripped)) {
        const figure = exhibit.figures.find(
          (f) => f.chapter === chapter.id && (f.value === n || englishNumbers(f.display.en!).includes(n)),
        );
        expect(figure, `${n} in “${paragraph.slice(0, 50)}…”`).toBeDefined();
        expect(russianNumbers(figure!.display.ru! + ' ' + figure!.label.ru!).length).toBeGreaterThan(0);
      }
    }
  });

  it('appear as dates in Russian style, and every dated event is on the timeline', () => {
    const text = articleText();
    const days = [
      ...text.matchAll(new RegExp(`(${MONTHS.join('|')}) (\\d{1,2})(?!\\d)(?:, (\\d{4}))?`, 'g')),
    ];
    expect(days.length).toBeGreaterThan(10);
    for (const [whole, month, day, year] of days) {
      const m = MONTHS.indexOf(month!);
      const ruDate = `${day} ${RU_MONTHS_GENITIVE[m]}${year ? ` ${year}` : ''}`;
      expect(ru, whole).toContain(ruDate);
      const iso = `-${String(m + 1).padStart(2, '0')}-${day!.padStart(2, '0')}`;
      const onTimeline = exhibit.timeline.some((t) =>
        year ? t.date === `${year}${iso}` : t.date.endsWith(iso),
      );
      expect(onTimeline, `${whole} on the timeline`).toBe(true);
    }
    for (const [whole, month, year] of text.matchAll(new RegExp(`(${MONTHS.join('|')}) (\\d{4})`, 'g'))) {
      const stem = RU_MONTH_STEMS[MONTHS.indexOf(month!)];
      expect(ru, whole).toMatch(new RegExp(`${stem}\\p{L}* ${year}`, 'iu'));
    }
    for (const [year] of text.matchAll(/\b(?:1[89]|20)\d\d\b/g)) {
      expect(
        exhibit.timeline.some((t) => t.date.startsWith(year)),
        `${year} on the timeline`,
      ).toBe(true);
      expect(ru).toContain(year);
    }
  });

  it('keep the timeline in date order, each entry leading to a chapter that exists', () => {
    const dates = exhibit.timeline.map((t) => t.date);
    expect(dates).toEqual([...dates].sort());
    const ids = new Set(exhibit.chapters.map((c) => c.id));
    for (const t of exhibit.timeline) expect(ids.has(t.chapter)).toBe(true);
  });

  it('name every person the article names, in English and as Russian sources do', () => {
    const people = new Set(
      [
        ...articleText().matchAll(
          /(?:Marshal of the Soviet Union|Army General|Lieutenant General|Admiral|Artist|Front|Far East)\s+([A-Z][a-z]+ [A-Z][a-z]+)/g,
        ),
      ].map((m) => m[1]!),
    );
    expect(people.size).toBeGreaterThanOrEqual(7);
    for (const person of people) {
      expect(en, person).toContain(person);
      expect(RU_PEOPLE[person], `${person} needs a Russian form in RU_PEOPLE`).toBeDefined();
      expect(RU_PEOPLE[person]!.test(ru), `Russian for ${person}`).toBe(true);
    }
  });

  it('render the article’s other proper names as Russian sources do', () => {
    for (const [name, pattern] of Object.entries(RU_GLOSSARY)) {
      expect(articleText(), `${name} is in the article`).toContain(name);
      expect(en, name).toContain(name);
      expect(pattern.test(ru), `Russian for ${name}`).toBe(true);
    }
  });
});

/**
 * The largest mean difference over any 8x8 patch of two same-sized RGB images:
 * resampling and compression noise averages out; a changed word does not.
 */
function worstPatch(a: Buffer, b: Buffer, width: number): number {
  const height = a.length / 3 / width;
  let worst = 0;
  for (let py = 0; py + 8 <= height; py += 8) {
    for (let px = 0; px + 8 <= width; px += 8) {
      let sum = 0;
      for (let y = py; y < py + 8; y++) {
        for (let i = (y * width + px) * 3; i < (y * width + px + 8) * 3; i++) sum += Math.abs(a[i]! - b[i]!);
      }
      worst = Math.max(worst, sum / 192);
    }
  }
  return worst;
}

describe('placeholder plates', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(tmpdir(), 'vitrine-plates-'));
    await cp(path.join(CONTENT_DIR, 'exhibit.yaml'), path.join(tmp, 'exhibit.yaml'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  /** The words a plate draws, in drawing order, unescaped. */
  function drawnText(svg: string): string {
    const parts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
    return normalise(
      parts
        .join(' ')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'")
        .replace(/&amp;/g, '&'),
    );
  }

  it('exist for every placeholder slot and say in both languages that the scan is awaited', async () => {
    const placeholders = slots().filter((s) => s.placeholder);
    expect(placeholders.length).toBe(slots().length);
    for (const slot of placeholders) {
      const svg = await readFile(path.join(CONTENT_DIR, slot.src), 'utf8');
      const drawn = drawnText(svg);
      expect(drawn).toContain('Awaiting the museum’s scan');
      expect(drawn).toContain('Ожидается скан из фонда музея');
      for (const lang of ['en', 'ru']) {
        expect(drawn, `${slot.id} caption ${lang}`).toContain(normalise(slot.caption[lang]!));
        expect(drawn, `${slot.id} credit ${lang}`).toContain(normalise(slot.credit[lang]!));
      }
      expect(drawn).toContain(slot.id);
      expect(svg).toContain(`viewBox="0 0 ${PLATE_WIDTH} ${PLATE_HEIGHT}"`);
      expect(PLATE_WIDTH / PLATE_HEIGHT).toBeCloseTo(4 / 3);
      // The fonts travel inside the plate, since an <img> cannot load the page's fonts.
      expect(svg).toMatch(/font-family:'PT Serif'[^}]*src:url\(data:font\/woff2;base64,/);
      expect(svg).toMatch(/font-family:'PT Sans'[^}]*src:url\(data:font\/woff2;base64,/);
    }
  });

  it('are what the generator makes now, byte for byte, on every run', { timeout: 120_000 }, async () => {
    const written = await makePlates(tmp, { screenCopies: false });
    expect(written.sort()).toEqual(
      placeholderSlots(exhibit)
        .map((s) => s.src)
        .sort(),
    );
    for (const src of written) {
      const fresh = await readFile(path.join(tmp, src));
      const committed = await readFile(path.join(CONTENT_DIR, src));
      expect(fresh.equals(committed), `${src} is stale: run npx tsx main/tools/make-plates.ts`).toBe(true);
    }
    await makePlates(tmp, { screenCopies: false });
    for (const src of written) {
      const again = await readFile(path.join(tmp, src));
      expect(again.equals(await readFile(path.join(CONTENT_DIR, src)))).toBe(true);
    }
  });

  it('have screen copies at every size that show each plate as it is now', { timeout: 60_000 }, async () => {
    const m = new Measurer();
    await m.load();
    const index = JSON.parse(await readFile(path.join(CONTENT_DIR, VARIANTS_FILE), 'utf8')) as Record<
      string,
      { src: string; width: number; height: number }[]
    >;
    // Small enough to be quick, large enough that one changed word shows.
    const width = 800;
    const height = (width * PLATE_HEIGHT) / PLATE_WIDTH;
    const pixels = (input: Sharp) => input.resize(width, height).removeAlpha().raw().toBuffer();
    for (const slot of placeholderSlots(exhibit)) {
      const copies = index[slot.src] ?? [];
      expect(
        copies.map((c) => c.width),
        `${slot.src} has no screen copies: run npx tsx main/tools/make-plates.ts`,
      ).toEqual([...VARIANT_EDGES]);
      for (const copy of copies) {
        const meta = await sharp(path.join(CONTENT_DIR, copy.src)).metadata();
        expect([meta.width, meta.height]).toEqual([copy.width, copy.height]);
      }
      const drawn = await pixels(
        sharp(Buffer.from(await renderPlate(slot, ['en', 'ru'], m, 'outlines')), { density: 144 }),
      );
      const changed = await pixels(
        sharp(Buffer.from(await renderPlate({ ...slot, id: `${slot.id}-x` }, ['en', 'ru'], m, 'outlines')), {
          density: 144,
        }),
      );
      for (const copy of copies) {
        const shown = await pixels(sharp(path.join(CONTENT_DIR, copy.src)));
        expect(
          worstPatch(shown, drawn, width),
          `${copy.src} is stale: run npx tsx main/tools/make-plates.ts`,
        ).toBeLessThan(16);
        // The measure is not blind: two extra characters in the id show.
        expect(worstPatch(shown, changed, width)).toBeGreaterThan(32);
      }
    }
  });

  it(
    'keep every line of text on the card, even for a caption far longer than the article’s',
    {
      timeout: 60_000,
    },
    async () => {
      const m = new Measurer();
      await m.load();
      const long = slots()[0]!;
      const longest: ImageSlot = {
        ...long,
        id: 'long-caption',
        caption: {
          en: `${long.caption.en} `.repeat(12).trim(),
          ru: `${long.caption.ru} `.repeat(12).trim(),
        },
      };
      for (const slot of [...slots(), longest]) {
        const layout = layoutPlate(slot, ['en', 'ru'], m);
        // The card sits inside the plate's window (110 units in from top and bottom).
        expect(layout.cardY).toBeGreaterThanOrEqual(110);
        expect(layout.cardY + layout.cardH).toBeLessThanOrEqual(PLATE_HEIGHT - 110);
        for (const span of layout.spans) {
          const w = m.width(span.text, span.face, span.size, span.letterSpacing);
          const left = span.anchor === 'end' ? span.x - w : span.x;
          expect(left, `${slot.id}: ${span.text}`).toBeGreaterThanOrEqual(230);
          expect(left + w, `${slot.id}: ${span.text}`).toBeLessThanOrEqual(PLATE_WIDTH - 230);
          expect(span.y).toBeLessThanOrEqual(layout.cardY + layout.cardH);
        }
      }
    },
  );
});
