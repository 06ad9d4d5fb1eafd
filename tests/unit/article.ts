/**
 * Reads the seed article the default exhibit is built from, for tests that
 * check the exhibit against it. Everything here is derived from the article's
 * own text, never from the exhibit, so a test comparing the two can fail.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The seed article, kept verbatim in the repository so a clean clone can
 * check the exhibit against its source.
 */
export const ARTICLE_FILE = fileURLToPath(
  new URL('../../assets/sources/mfa-ussr-enters-war-against-japan.txt', import.meta.url),
);

/** English month names, as the article writes dates ("August 9, 1945"). */
export const MONTHS: readonly string[] = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** Russian month names in the genitive, as Russian writes a day ("9 августа"). */
export const RU_MONTHS_GENITIVE: readonly string[] = [
  'января',
  'февраля',
  'марта',
  'апреля',
  'мая',
  'июня',
  'июля',
  'августа',
  'сентября',
  'октября',
  'ноября',
  'декабря',
];

/** An image caption as printed in the article, split from the archive it names, if any. */
export interface ArticleCaption {
  /** The full line as printed. */
  line: string;
  /** The caption without a trailing archive credit. */
  text: string;
  /** The archive the caption names, e.g. "Russian Foreign Policy Archives". */
  archive?: string;
  /** The paragraph printed just before the caption. */
  after: string;
}

/** The parts of the article. */
export interface Article {
  title: string;
  source: string;
  /** Each paragraph once, in the order it first appears. */
  paragraphs: string[];
  /**
   * Paragraphs the article prints more than once (as first printed). A reprint
   * may differ by a word or two ("and" dropped), and still counts as a repeat.
   */
  repeated: string[];
  captions: ArticleCaption[];
}

/** Collapses runs of whitespace (including no-break spaces) to one space and trims. */
export function normalise(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

const MONTH = '(?:January|February|March|April|May|June|July|August|September|October|November|December)';
// A caption ends with a date, an archive or an artist; a paragraph ends with a sentence.
const CAPTION_END = new RegExp(
  `(?:${MONTH}(?: \\d{1,2},)? \\d{4}|[A-Z][A-Za-z ]* Archives|Artist [A-Z][a-z]+ [A-Z][a-z]+)\\.?$`,
);
const ARCHIVE = /\s*\b([A-Z][A-Za-z ]*? Archives)\.?$/;

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/**
 * Whether two paragraphs are the same text give or take a few words: the
 * words outside their longest common subsequence number at most 3.
 */
export function sameParagraph(a: string, b: string): boolean {
  const x = words(a);
  const y = words(b);
  if (Math.abs(x.length - y.length) > 3) return false;
  let prev = new Array<number>(y.length + 1).fill(0);
  for (let i = 1; i <= x.length; i++) {
    const row = new Array<number>(y.length + 1).fill(0);
    for (let j = 1; j <= y.length; j++) {
      row[j] = x[i - 1] === y[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, row[j - 1]!);
    }
    prev = row;
  }
  const lcs = prev[y.length]!;
  return x.length + y.length - 2 * lcs <= 3 && lcs > 10;
}

/** Parses the article text. */
export function parseArticle(raw: string): Article {
  const lines = raw
    .split(/\r?\n/)
    .map(normalise)
    .filter((l) => l.length > 0);
  const title = lines[0] ?? '';
  const body = lines.filter((l) => l !== title);
  const source = body.shift() ?? '';
  // Trailing page furniture of the scrape ("Report Page") is not text.
  while (body.length > 0 && body.at(-1)!.split(' ').length < 4) body.pop();

  const paragraphs: string[] = [];
  const repeated: string[] = [];
  const captions: ArticleCaption[] = [];
  let last = '';
  for (const line of body) {
    if (CAPTION_END.test(line)) {
      const m = ARCHIVE.exec(line);
      const text = m ? line.slice(0, m.index).trim() : line;
      captions.push({ line, text, archive: m?.[1], after: last });
      continue;
    }
    const earlier = paragraphs.find((p) => sameParagraph(p, line));
    if (earlier !== undefined) {
      if (!repeated.includes(earlier)) repeated.push(earlier);
      last = earlier;
    } else {
      paragraphs.push(line);
      last = line;
    }
  }
  return { title, source, paragraphs, repeated, captions };
}

/** Reads and parses the seed article. */
export function readArticle(file = ARTICLE_FILE): Article {
  return parseArticle(readFileSync(file, 'utf8'));
}
