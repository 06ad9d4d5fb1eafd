/**
 * What of the seed article a visitor must be able to see: its dates, numbers
 * and people, read from the article itself (through `tests/unit/article.ts`),
 * and the detector that says which of them a body of visible text lacks, in
 * English or in Russian.
 */
import { MONTHS, normalise, readArticle, RU_MONTHS_GENITIVE } from '../unit/article.js';

/** Stems that match every case of a month name ("август 1945", "в августе 1945"). */
const RU_MONTH_STEMS = [
  'январ',
  'феврал',
  'март',
  'апрел',
  'ма[йяе]',
  'июн',
  'июл',
  'август',
  'сентябр',
  'октябр',
  'ноябр',
  'декабр',
];

/**
 * People as Russian sources name them; patterns allow for declension
 * ("Родиона Малиновского"). A person the article names but this table lacks is
 * reported missing in Russian, so a new name cannot slip through.
 */
export const RU_PEOPLE: Record<string, RegExp> = {
  'Rodion Malinovsky': /Родион\p{L}* Малиновск/u,
  'Kirill Meretskov': /Кирилл\p{L}* Мерецков/u,
  'Maxim Purkayev': /Максим\p{L}* Пуркаев/u,
  'Ivan Yumashev': /Иван\p{L}* Юмашев/u,
  'Alexander Vasilevsky': /Александр\p{L}* Василевск/u,
  'Kuzma Derevyanko': /Кузьм\p{L}* Деревянко/u,
  'Pavel Sudakov': /Пав(?:ел|ла|лом|лу) Судаков/u,
};

/** A date as the article states it: any of day, month and year may be absent. */
export interface ArticleDate {
  /** As printed, e.g. "August 9, 1945". */
  text: string;
  year?: number;
  /** 1-12. */
  month?: number;
  day?: number;
}

/** The items of the article a visitor must find. */
export interface ArticleItems {
  dates: ArticleDate[];
  /** Every number the article states, by value ("1.6 million" is 1600000), days of dates left out. */
  numbers: number[];
  /** Quantities only: no years, ordinals ("1st") or designations ("T-34-85", "No. 32-FZ"). */
  quantities: number[];
  people: string[];
}

/** A thing the visitor cannot find, and in which language. */
export interface Missing {
  lang: string;
  kind: 'date' | 'number' | 'person';
  item: string;
}

const MONTH_RE = `(?:${MONTHS.join('|')})`;
const DATE_RE = new RegExp(
  `(${MONTH_RE}) (\\d{1,2})(?!\\d)(?:, (\\d{4}))?|(${MONTH_RE}) (\\d{4})|\\b((?:1[89]|20)\\d\\d)\\b`,
  'g',
);

/** Numbers an English text states, as values: "1.6 million" is 1600000, "5,250" is 5250. */
export function englishNumbers(text: string): number[] {
  return [...text.matchAll(/(\d+(?:,\d{3})*(?:\.\d+)?)(\s+million)?/g)].map(
    (m) => Number(m[1]!.replace(/,/g, '')) * (m[2] ? 1e6 : 1),
  );
}

/** Numbers a Russian text states: "1,6 млн", "700 тыс.", "30 000" (any space as separator), "5250". */
export function russianNumbers(text: string): number[] {
  return [...text.matchAll(/(\d+(?:[\u00a0\u202f\u2009 ]\d{3}(?!\d))*(?:,\d+)?)(?:\s*(тыс\.|млн))?/g)].map(
    (m) => {
      const v = Number(m[1]!.replace(/[\u00a0\u202f\u2009 ]/g, '').replace(',', '.'));
      return Math.round(v * (m[2] === 'млн' ? 1e6 : m[2] === 'тыс.' ? 1e3 : 1));
    },
  );
}

/** Reads the article's dates, numbers and people. */
export function articleItems(): ArticleItems {
  const article = readArticle();
  const text = [...article.paragraphs, ...article.captions.map((c) => c.line)].map(normalise).join('\n');

  const dates = new Map<string, ArticleDate>();
  for (const m of text.matchAll(DATE_RE)) {
    let date: ArticleDate;
    if (m[1]) {
      date = { text: m[0], month: MONTHS.indexOf(m[1]) + 1, day: Number(m[2]) };
      if (m[3]) date.year = Number(m[3]);
    } else if (m[4]) {
      date = { text: m[0], month: MONTHS.indexOf(m[4]) + 1, year: Number(m[5]) };
    } else {
      date = { text: m[0], year: Number(m[6]) };
    }
    dates.set(m[0], date);
  }

  const withoutDays = text.replace(new RegExp(`${MONTH_RE} \\d{1,2}(?!\\d)(?:, \\d{4})?`, 'g'), ' ');
  const numbers = [...new Set(englishNumbers(withoutDays))];
  const plain = withoutDays
    .replace(/\b(?:1[89]|20)\d\d\b/g, ' ')
    .replace(/\b\d+(?:st|nd|rd|th)\b/g, ' ')
    .replace(/[-\w]*\d+-[-\w]*|No\. \d+/g, ' ');
  const quantities = [...new Set(englishNumbers(plain))];

  const people = [
    ...new Set(
      [
        ...text.matchAll(
          /(?:Marshal of the Soviet Union|Army General|Lieutenant General|Admiral|Artist|Front|Far East)\s+([A-Z][a-z]+ [A-Z][a-z]+)/g,
        ),
      ].map((m) => m[1]!),
    ),
  ];
  return { dates: [...dates.values()], numbers, quantities, people };
}

interface SeenDate {
  year?: number;
  month?: number;
  day?: number;
}

/** Dates an English text shows, in either order ("August 9, 1945", "9 August 1945", "August 1945"). */
function englishDates(text: string): SeenDate[] {
  const out: SeenDate[] = [];
  const re = new RegExp(
    `(${MONTH_RE}) (\\d{1,2})(?!\\d)(?:, (\\d{4}))?|(\\d{1,2}) (${MONTH_RE})(?: (\\d{4}))?|(${MONTH_RE}),? (\\d{4})`,
    'g',
  );
  for (const m of text.matchAll(re)) {
    if (m[1])
      out.push({ month: MONTHS.indexOf(m[1]) + 1, day: Number(m[2]), year: m[3] ? Number(m[3]) : undefined });
    else if (m[5])
      out.push({ month: MONTHS.indexOf(m[5]) + 1, day: Number(m[4]), year: m[6] ? Number(m[6]) : undefined });
    else out.push({ month: MONTHS.indexOf(m[7]!) + 1, year: Number(m[8]) });
  }
  return out;
}

/** Dates a Russian text shows: "9 августа 1945 года", "9 августа", "в августе 1945". */
function russianDates(text: string): SeenDate[] {
  const out: SeenDate[] = [];
  const days = new RegExp(`(\\d{1,2}) (${RU_MONTHS_GENITIVE.join('|')})(?: (\\d{4}))?`, 'giu');
  for (const m of text.matchAll(days)) {
    out.push({
      day: Number(m[1]),
      month: RU_MONTHS_GENITIVE.indexOf(m[2]!.toLowerCase()) + 1,
      year: m[3] ? Number(m[3]) : undefined,
    });
  }
  RU_MONTH_STEMS.forEach((stem, i) => {
    for (const m of text.matchAll(new RegExp(`(?<!\\p{L})${stem}\\p{L}* (\\d{4})`, 'giu'))) {
      out.push({ month: i + 1, year: Number(m[1]) });
    }
  });
  return out;
}

function dateShown(date: ArticleDate, seen: SeenDate[], text: string): boolean {
  if (date.month === undefined) return new RegExp(`(?<!\\d)${date.year}(?!\\d)`).test(text);
  return seen.some(
    (s) =>
      s.month === date.month &&
      (date.day === undefined || s.day === date.day) &&
      (date.year === undefined || s.year === date.year),
  );
}

/** Spaces of every kind as one plain space, so "9\u00a0августа" reads as "9 августа". */
function spaces(text: string): string {
  return text.replace(/[\u00a0\u202f\u2009\s]+/gu, ' ');
}

/**
 * The article's items a visitor could not see: `visible` maps a language to
 * all the text shown in it. Only the kinds named in `kinds` are checked.
 */
export function missingItems(
  items: Pick<ArticleItems, 'dates' | 'numbers' | 'people'>,
  visible: Record<string, string>,
): Missing[] {
  const missing: Missing[] = [];
  for (const [lang, raw] of Object.entries(visible)) {
    const text = spaces(raw);
    const ru = lang === 'ru';
    const seenDates = ru ? russianDates(text) : englishDates(text);
    for (const d of items.dates) {
      if (!dateShown(d, seenDates, text)) missing.push({ lang, kind: 'date', item: d.text });
    }
    const seenNumbers = new Set(ru ? russianNumbers(raw) : englishNumbers(text));
    for (const n of items.numbers) {
      if (!seenNumbers.has(n)) missing.push({ lang, kind: 'number', item: String(n) });
    }
    for (const person of items.people) {
      const shown = ru ? (RU_PEOPLE[person]?.test(text) ?? false) : text.includes(person);
      if (!shown) missing.push({ lang, kind: 'person', item: person });
    }
  }
  return missing;
}
