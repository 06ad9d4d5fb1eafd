/**
 * Archive-aware validation of a content folder: the zod schema first, then
 * what only the files can tell — that media exist inside the folder, are what
 * their names say, fit in memory, have credits, alt text and transcripts in
 * every language — and what staff should look at before visitors do.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { closest, distance } from 'fastest-levenshtein';
import sharp, { type Metadata } from 'sharp';
import {
  EXHIBIT_FILE,
  parseExhibit,
  readVariantIndex,
  VARIANTS_FILE,
  type IndexedVariant,
  type Problem,
} from './load.js';
import { CAPTION_BUDGET, CAPTION_LIMIT, IMAGE_DECODED_BUDGET_BYTES, IMAGE_LIMIT_WORDS } from './limits.js';
import { decodeDamage, fileSha256, MAX_ORIGINAL_PIXELS } from './media-check.js';
import {
  BUILT_IN_INTERFACE_LANGUAGES,
  INTERFACE_KEYS,
  INTERFACE_STRINGS,
  type InterfaceKey,
} from '../contract/interface-strings.js';
import { findUnknownKeys } from './schema-json.js';
import { localizedTexts, RENAME_MEDIA_HINT, type Exhibit } from './schema.js';
import { WEEKDAYS } from '../contract/schedule.js';
import { refusedLinks, REFUSED_LINK_HINT } from './manifest.js';
import { resolveContentPath } from './safe-path.js';
import {
  extensionsFor,
  KIND_NAME,
  KIND_ROLE,
  kindFromExtension,
  sniffFile,
  type MediaKind,
} from './sniff.js';
import { locatedDocument } from './yaml-locate.js';

export { CAPTION_BUDGET, IMAGE_LIMIT_WORDS } from './limits.js';

/** One media file the exhibit refers to, as the validator found it. */
export interface MediaRef {
  /** Field path of the reference, e.g. `['chapters', 0, 'images', 1, 'src']`. */
  path: (string | number)[];
  /** The path as written, e.g. `media/plates/yalta.svg`. */
  src: string;
  role: 'image' | 'audio' | 'captions';
  /** Real absolute path when the file exists inside the folder. */
  real?: string;
  kind?: MediaKind;
  width?: number;
  height?: number;
  /** True for an image slot marked `placeholder: true` (even when the exhibit has other errors). */
  placeholder?: boolean;
}

/** The outcome of validating a content folder. */
export interface ValidationReport {
  /** True when nothing blocks: there may still be warnings. */
  ok: boolean;
  problems: Problem[];
  /** The parsed exhibit, when the schema accepted it. */
  exhibit?: Exhibit;
  /** The exhibit text, when it could be read. */
  source?: string;
  media: MediaRef[];
}

/** Options for {@link validateContent}. */
export interface ValidateOptions {
  /**
   * The content folder as staff would type it in a command, for the hints
   * ("npm run content -- build DIR"); default the folder as given.
   */
  folderName?: string;
  /** Called after each media file is checked, for a progress bar. */
  onProgress?: (done: number, total: number, src: string) => void;
}

type Path = (string | number)[];
const fieldOf = (p: Path) => p.map(String).join('.');
const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** Markup that a browser would treat as HTML or script if we ever rendered it as such. */
const MARKUP = /<\/?[a-z][a-z0-9-]*(?:\s[^<>]*)?\/?>|<!--|javascript:|\bon[a-z]+\s*=\s*["']/i;

/** Every string in the data with its path, for text-wide checks. */
function* strings(value: unknown, p: Path = []): Generator<{ path: Path; text: string }> {
  if (typeof value === 'string') yield { path: p, text: value };
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* strings(v, [...p, i]);
  else if (isRecord(value)) for (const [k, v] of Object.entries(value)) yield* strings(v, [...p, k]);
}

/** Every media reference: image `src`, narration `audio` and `captions`. */
function* mediaRefs(value: unknown, p: Path = []): Generator<MediaRef> {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) yield* mediaRefs(v, [...p, i]);
    return;
  }
  if (!isRecord(value)) return;
  for (const [k, v] of Object.entries(value)) {
    const role = k === 'src' ? 'image' : k === 'audio' ? 'audio' : k === 'captions' ? 'captions' : undefined;
    if (role && typeof v === 'string') yield { path: [...p, k], src: v, role };
    else yield* mediaRefs(v, [...p, k]);
  }
}

/** Every image object in raw exhibit data, with its path. */
function* images(data: unknown): Generator<{ path: Path; image: Record<string, unknown> }> {
  if (!isRecord(data) || !Array.isArray(data.chapters)) return;
  for (const [i, ch] of data.chapters.entries()) {
    if (!isRecord(ch) || !Array.isArray(ch.images)) continue;
    for (const [j, image] of ch.images.entries()) {
      if (isRecord(image)) yield { path: ['chapters', i, 'images', j], image };
    }
  }
}

const LANGUAGE_NAMES = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });
/** Codes that are valid but name no language a visitor could choose. */
const NOT_A_LANGUAGE = new Set(['und', 'mul', 'mis', 'zxx']);

/** The English name of a language code, e.g. "German" for "de"; the code itself if unknown. */
function nameOf(code: string): string {
  const name = languageCodeProblem(code) ? undefined : LANGUAGE_NAMES.of(code);
  return name ? `${name} (${code})` : `"${code}"`;
}

/** "a", "a or b", "a, b or c". */
const orList = (items: string[]) =>
  items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;

/** Languages a kiosk is most often offered in: the first candidates when a code is misspelt. */
const COMMON_LANGUAGES =
  'en ru de fr es it uk pl zh ja ko ar tr pt nl sv fi nb da cs hu ro el he hi ka hy be kk uz et lv lt'.split(
    ' ',
  );

/** Country codes written where a language code belongs, and the language meant. */
const COUNTRY_TO_LANGUAGE: Record<string, string> = {
  ge: 'ka',
  ua: 'uk',
  jp: 'ja',
  cn: 'zh',
  gr: 'el',
  dk: 'da',
  cz: 'cs',
  kr: 'ko',
  il: 'he',
  us: 'en',
  gb: 'en',
  at: 'de',
  ee: 'et',
  se: 'sv',
  rs: 'sr',
  by: 'be',
  kz: 'kk',
  no: 'nb',
};

/** The real codes `code` was most likely meant to be: one letter off, or a country's code for its language. */
function nearestLanguageCodes(code: string): string[] {
  const lower = code.toLowerCase();
  const oneOff = (c: string) =>
    c.length === lower.length && [...c].filter((ch, i) => ch !== lower[i]).length === 1;
  const found = COMMON_LANGUAGES.filter(oneOff).slice(0, 2);
  // A language's name written instead of its code ("English", "Deutsch").
  const named = COMMON_LANGUAGES.find((c) =>
    [LANGUAGE_NAMES.of(c), new Intl.DisplayNames([c], { type: 'language' }).of(c)].some(
      (n) => n?.toLowerCase() === lower,
    ),
  );
  if (named) return [named];
  const country = COUNTRY_TO_LANGUAGE[lower];
  if (country && !found.includes(country)) found.push(country);
  if (lower !== code && !languageCodeProblemOf(lower)) found.unshift(lower);
  return found.slice(0, 3);
}

/**
 * Why `code` is not a language code staff can offer, or undefined when it
 * is one. Checked against the language names this runtime knows (ICU), so
 * `xx` is refused and `de`, `fr`, `uk` or `ja` accepted.
 */
export function languageCodeProblem(code: string): { message: string; hint: string } | undefined {
  return languageCodeProblemOf(code, true);
}

function languageCodeProblemOf(code: string, suggest = false): { message: string; hint: string } | undefined {
  let canonical: string | undefined;
  try {
    canonical = Intl.getCanonicalLocales(code)[0];
  } catch {
    canonical = undefined;
  }
  const example = 'e.g. "de" for German, "fr" for French, "uk" for Ukrainian, "ja" for Japanese';
  if (canonical && canonical !== code && /^[a-z]{2,3}$/.test(canonical)) {
    return {
      message: `"${code}" is an old code for ${LANGUAGE_NAMES.of(canonical) ?? canonical}`,
      hint: `write "${canonical}" instead (here and in every text)`,
    };
  }
  if (!canonical || NOT_A_LANGUAGE.has(code) || !/^[a-z]{2,3}$/.test(code) || !LANGUAGE_NAMES.of(code)) {
    const near = suggest ? nearestLanguageCodes(code) : [];
    return {
      message: `"${code}" is not a language code`,
      hint: near.length
        ? `did you mean ${orList(near.map((c) => `"${c}" (${LANGUAGE_NAMES.of(c)})`))}? Use the two- or three-letter ISO 639 code of the language`
        : `use the two- or three-letter ISO 639 code of the language, ${example}`,
    };
  }
  return undefined;
}

const isInterfaceKey = (key: string): key is InterfaceKey => Object.hasOwn(INTERFACE_STRINGS, key);
const isBuiltIn = (lang: string) => (BUILT_IN_INTERFACE_LANGUAGES as readonly string[]).includes(lang);
/** The `{name}` placeholders in an interface string, in order. */
const placeholdersOf = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);

/** Zod's type names in words staff use. */
const TYPE_WORDS: Record<string, string> = {
  record: 'texts per language (en: …, ru: …)',
  object: 'a group of fields',
  array: 'a list (lines starting with "- ")',
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  null: 'empty',
};

/**
 * Rewrites zod's type messages ("Invalid input: expected record, received
 * undefined") in words staff can act on. Other problems pass unchanged.
 */
function plainWords(p: Problem): Problem {
  const key0 = p.field.split('.').at(-1) ?? p.field;
  if (p.message === 'Invalid key in record') {
    return {
      ...p,
      message: `"${key0}" is not a language code`,
      hint: languageCodeProblem(key0)?.hint ?? 'use a two- or three-letter code such as "en" or "ru"',
    };
  }
  const range = /^Too (small|big): expected number to be ([<>]=?)(-?[\d.]+)$/.exec(p.message);
  if (range) {
    const [, , op = '', n = ''] = range;
    const bound = op.startsWith('>') ? `at least ${n}` : `at most ${n}`;
    return { ...p, message: `"${key0}" must be ${bound}`, hint: `write a number ${bound}` };
  }
  if (p.message.includes('which a media path may not use')) {
    return {
      ...p,
      hint: RENAME_MEDIA_HINT,
    };
  }
  const m = /^Invalid input: expected (\w+), received (\w+)$/.exec(p.message);
  if (!m) return p;
  const [, expected = '', received = ''] = m;
  const key = p.field.split('.').at(-1) ?? p.field;
  const want = TYPE_WORDS[expected] ?? expected;
  if (received === 'undefined') {
    return { ...p, message: `"${key}" is missing`, hint: `add "${key}:" with ${want}` };
  }
  return {
    ...p,
    message: `"${key}" should be ${want}, not ${TYPE_WORDS[received] ?? received}`,
    hint: `write ${want} here`,
  };
}

/** Suggests the nearest known key, if one is close enough to be a typo. */
export function suggestKey(key: string, known: string[]): string | undefined {
  if (known.length === 0) return undefined;
  const best = closest(key, known);
  return distance(key, best) <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

/**
 * Validates a content folder. Never throws for bad content: every finding is
 * a {@link Problem}. Errors block publishing; warnings do not.
 */
export async function validateContent(dir: string, opts: ValidateOptions = {}): Promise<ValidationReport> {
  const root = path.resolve(dir);
  let text: string;
  try {
    text = await readFile(path.join(root, EXHIBIT_FILE), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      ok: false,
      media: [],
      problems: [
        {
          severity: 'error',
          file: EXHIBIT_FILE,
          line: 1,
          column: 1,
          field: '',
          message:
            code === 'ENOENT'
              ? `there is no ${EXHIBIT_FILE} in ${root}`
              : `cannot read ${EXHIBIT_FILE} (${code})`,
          hint: `check the folder name, or start one with: npm run content -- init ${dir}`,
        },
      ],
    };
  }

  const parsed = parseExhibit(text, EXHIBIT_FILE);
  const located = locatedDocument(text);
  if (located.data === undefined) {
    // The YAML itself is broken; nothing below can be checked until it reads.
    return { ok: false, problems: parsed.problems, source: text, media: [] };
  }
  const data = located.data;
  const mine: Problem[] = [];
  const add = (
    severity: Problem['severity'],
    p: Path,
    message: string,
    hint: string,
    at: { key?: boolean } = {},
  ) =>
    mine.push({ severity, file: EXHIBIT_FILE, ...located.locate(p, at), field: fieldOf(p), message, hint });

  const settings = isRecord(data) && isRecord(data.settings) ? data.settings : {};
  const languages =
    Array.isArray(settings.languages) && settings.languages.every((l) => typeof l === 'string')
      ? (settings.languages as string[])
      : ['en'];

  // Unknown keys, each at its own line, with the nearest key it may have meant.
  for (const u of findUnknownKeys(data)) {
    if (u.path[0] === 'interface' && u.path.length === 2) {
      // Every interface key is dotted and many differ by one word, so the nearest is always worth naming.
      add(
        'error',
        [...u.path, u.key],
        `"${u.key}" is not one of the kiosk's interface strings`,
        `did you mean "${closest(u.key, INTERFACE_KEYS)}"? Rename it (the staff guide lists every key under "Translate the kiosk's own buttons")`,
        { key: true },
      );
      continue;
    }
    if (u.path.join('.') === 'settings.openingHours.weekly') {
      // Staff write "tuesday" or "Tue"; the nearest of the seven short names is always worth naming.
      add(
        'error',
        [...u.path, u.key],
        `"${u.key}" is not a day of the week here`,
        `did you mean "${closest(u.key.toLowerCase().slice(0, 3), [...WEEKDAYS])}"? Days are written mon, tue, wed, thu, fri, sat, sun`,
        { key: true },
      );
      continue;
    }
    const guess = suggestKey(u.key, u.known);
    add(
      'error',
      [...u.path, u.key],
      `unknown field "${u.key}"`,
      guess ? `did you mean "${guess}"? Rename it` : `remove it, or use one of: ${u.known.join(', ')}`,
      { key: true },
    );
  }

  // An id used twice, with where the first one is, so staff can tell which to rename.
  if (isRecord(data) && Array.isArray(data.chapters)) {
    const firstChapter = new Map<string, Path>();
    const firstImage = new Map<string, Path>();
    const twice = (what: string, seen: Map<string, Path>, id: unknown, p: Path) => {
      if (typeof id !== 'string') return;
      const first = seen.get(id);
      if (!first) return void seen.set(id, p);
      add(
        'error',
        p,
        `${what} id "${id}" is used twice: the first is on line ${located.locate(first).line}`,
        'give one of them another id (lower-case letters, digits and hyphens)',
      );
    };
    for (const [i, ch] of data.chapters.entries()) {
      if (isRecord(ch)) twice('chapter', firstChapter, ch.id, ['chapters', i, 'id']);
    }
    for (const { path: p, image } of images(data)) twice('image', firstImage, image.id, [...p, 'id']);
  }

  // `version: 2.10` is the number 2.1 to YAML: the version shown would not be the one written.
  if (isRecord(data) && typeof data.version === 'number') {
    const node = located.doc.get('version', true) as { range?: [number, number, number] } | undefined;
    const written = node?.range ? text.slice(node.range[0], node.range[1]).trim() : String(data.version);
    if (written !== String(data.version)) {
      add(
        'error',
        ['version'],
        `version ${written} reads as the number ${data.version}, so the kiosk would show "${data.version}"`,
        `put it in quotes: version: "${written}"`,
      );
    }
  }

  // Credits and alternative text for every image in every language.
  for (const { path: p, image } of images(data)) {
    const name = typeof image.id === 'string' ? `image "${image.id}"` : 'this image';
    for (const [field, what, why] of [
      ['credit', 'credit', 'who made or holds the original, e.g. the archive and its reference'],
      ['alt', 'alternative text', 'what the image shows, for visitors who cannot see it'],
    ] as const) {
      const value = image[field];
      if (!isRecord(value)) {
        add(
          'error',
          [...p, field],
          `${name} has no ${what}`,
          `add "${field}:" with ${why}, in ${languages.join(' and ')}`,
        );
        continue;
      }
      // A language missing here is reported, once per field, with every other text below.
    }
  }

  // Narration: audio needs captions, which double as its transcript.
  if (isRecord(data) && Array.isArray(data.chapters)) {
    for (const [i, ch] of data.chapters.entries()) {
      if (!isRecord(ch) || !isRecord(ch.narration)) continue;
      for (const [lang, n] of Object.entries(ch.narration)) {
        if (isRecord(n) && typeof n.audio === 'string' && typeof n.captions !== 'string') {
          add(
            'error',
            ['chapters', i, 'narration', lang, 'captions'],
            `the "${lang}" narration has no captions (transcript)`,
            'add "captions: media/….vtt" with the spoken words, so deaf visitors can follow',
          );
        }
      }
    }
  }

  // Languages: each a real one; a text missing in one is shown in the first language instead
  // (one warning per text, never an error, so a partly translated language can publish);
  // a text in a language the exhibit does not offer is never seen.
  const languagesPath = ['settings', 'languages'];
  const known = languages.filter((lang, i) => {
    const problem = languageCodeProblem(lang);
    if (problem)
      add(
        'error',
        Array.isArray(settings.languages) ? [...languagesPath, i] : languagesPath,
        problem.message,
        problem.hint,
      );
    return !problem;
  });
  const first = languages[0] ?? 'en';
  const offered = `settings: languages: [${languages.join(', ')}]`;
  for (const { path: p, text: t } of localizedTexts(data)) {
    const missing = known.filter((lang) => !(lang in t));
    if (missing.length > 0) {
      const shown = first in t ? first : (languages.find((l) => l in t) ?? Object.keys(t)[0] ?? first);
      const names = missing.map((l) => `"${l}"`).join(' and ');
      add(
        'warning',
        p,
        `no ${names} text: visitors who choose ${missing.map(nameOf).join(' or ')} see the ${nameOf(shown)} text here`,
        `add ${missing.map((l) => `a "${l}:" line`).join(' and ')} with the translation`,
      );
    }
    for (const lang of Object.keys(t)) {
      if (languages.includes(lang)) continue;
      const real = languageCodeProblem(lang) === undefined;
      add(
        'warning',
        [...p, lang],
        real
          ? `a ${nameOf(lang)} text, but the exhibit does not offer ${LANGUAGE_NAMES.of(lang)}: visitors never see it`
          : `a "${lang}" text, but "${lang}" is not a language code: visitors never see it`,
        real
          ? `to offer ${LANGUAGE_NAMES.of(lang)}, add "${lang}" to ${offered.replace(/\]$/, `, ${lang}]`)}; otherwise delete the line`
          : `${/^did you mean [^?]+\?/.exec(languageCodeProblem(lang)?.hint ?? '')?.[0] ?? ''} correct the code (one of ${languages.join(', ')}) or delete the line`.trimStart(),
        { key: true },
      );
    }
  }

  // The kiosk's own buttons: built in for English and Russian, translated in `interface:` for the rest.
  // A key left out shows in English; a placeholder the kiosk does not fill would show as "{name}".
  const section = isRecord(data) && isRecord(data.interface) ? data.interface : {};
  for (const [lang, table] of Object.entries(section)) {
    const p = ['interface', lang];
    const problem = languageCodeProblem(lang);
    if (problem) {
      add('error', p, problem.message, problem.hint, { key: true });
      continue;
    }
    if (!languages.includes(lang)) {
      add(
        'warning',
        p,
        `interface strings in ${nameOf(lang)}, but the exhibit does not offer ${LANGUAGE_NAMES.of(lang)}: visitors never see them`,
        `to offer ${LANGUAGE_NAMES.of(lang)}, add "${lang}" to ${offered.replace(/\]$/, `, ${lang}]`)}; otherwise delete the section`,
        { key: true },
      );
    }
    if (!isRecord(table)) continue;
    for (const [key, text] of Object.entries(table)) {
      if (!isInterfaceKey(key) || typeof text !== 'string') continue;
      const wanted: readonly string[] = INTERFACE_STRINGS[key];
      const used = placeholdersOf(text);
      const unknown = used.filter((n) => !wanted.includes(n));
      const lost = wanted.filter((n) => !used.includes(n));
      const braces = (names: readonly string[]) => names.map((n) => `{${n}}`).join(' and ');
      if (unknown.length > 0) {
        add(
          'error',
          [...p, key],
          `uses ${braces(unknown)}, which the kiosk does not fill in: visitors would see "${braces(unknown)}"`,
          wanted.length > 0
            ? `write ${braces(wanted)} exactly as ${wanted.length === 1 ? 'it is' : 'they are'} (only the words around ${wanted.length === 1 ? 'it' : 'them'} are translated)`
            : 'remove it: this text takes no {…} value',
        );
      } else if (lost.length > 0) {
        add(
          'warning',
          [...p, key],
          `leaves out ${braces(lost)}, which the kiosk fills in: visitors will not see that part`,
          `put ${braces(lost)} where it belongs in the sentence, exactly as written`,
        );
      }
    }
    const untranslated = INTERFACE_KEYS.filter((key) => typeof table[key] !== 'string');
    if (untranslated.length > 0 && !isBuiltIn(lang)) {
      add(
        'warning',
        p,
        `${untranslated.length} of the kiosk's ${INTERFACE_KEYS.length} interface strings have no ${LANGUAGE_NAMES.of(lang)} text: those show in English`,
        `add them when you can, e.g. ${untranslated
          .slice(0, 3)
          .map((k) => `"${k}"`)
          .join(', ')}; the staff guide lists every key`,
        { key: true },
      );
    }
  }
  for (const [i, lang] of languages.entries()) {
    if (isBuiltIn(lang) || lang in section || languageCodeProblem(lang)) continue;
    add(
      'warning',
      Array.isArray(settings.languages) ? [...languagesPath, i] : languagesPath,
      `the kiosk's own buttons will show in English for ${nameOf(lang)}`,
      `add an "interface: ${lang}:" section with their ${LANGUAGE_NAMES.of(lang)} text; see "Translate the kiosk's own buttons" in the staff guide`,
    );
  }

  // Text is always shown as text; markup in it is almost certainly a paste from a web page.
  for (const { path: p, text: t } of strings(data)) {
    // A tab pasted from a spreadsheet or word processor shows as an odd gap in the middle of the text.
    if (t.includes('\t')) {
      add(
        'warning',
        p,
        'contains a tab character, which visitors see as a wide gap in the text',
        'replace the tab with a space',
      );
    }
    if (MARKUP.test(t)) {
      add(
        'warning',
        p,
        'contains HTML or script markup, which visitors will see literally (it is never run)',
        'remove the tags and write plain text',
      );
    }
  }

  // Captions that would overflow their box: visitors would lose the end of the text, so they block.
  const captionLimit = CAPTION_LIMIT;
  for (const { path: p, image } of images(data)) {
    if (!isRecord(image.caption)) continue;
    for (const [lang, caption] of Object.entries(image.caption)) {
      if (typeof caption !== 'string') continue;
      const n = [...caption].length;
      const tooLongFor = (Object.keys(CAPTION_BUDGET) as (keyof typeof CAPTION_BUDGET)[]).filter(
        (o) => n > CAPTION_BUDGET[o],
      );
      if (tooLongFor.length > 0) {
        add(
          'error',
          [...p, 'caption', lang],
          `caption is ${n} characters; the caption box holds at most ${captionLimit} characters (it overflows in ${tooLongFor.join(' and ')})`,
          `shorten it to at most ${captionLimit} characters; move detail into the chapter text`,
        );
      }
    }
  }

  // The files themselves.
  const refs = [...mediaRefs(data)];
  const media: MediaRef[] = [];
  const folder = opts.folderName ?? dir;
  const buildCommand = `npm run content -- build ${/[\s"'$&|;<>()]/.test(folder) ? `"${folder}"` : folder}`;
  const context: MediaContext = {
    root,
    copies: await readVariantIndex(root, (src, why) =>
      mine.push({
        severity: 'warning',
        file: VARIANTS_FILE,
        line: 1,
        column: 1,
        field: 'file',
        message: `the copy index lists "${src}" wrongly (${why}), so the kiosk shows that picture without screen copies`,
        hint: `${buildCommand} writes the index again`,
      }),
    ),
    buildCommand,
  };
  for (const [n, ref] of refs.entries()) {
    media.push(ref);
    await checkMedia(context, ref, add);
    opts.onProgress?.(n + 1, refs.length, ref.src);
  }

  // A scan put in place but still flagged as a placeholder would carry the "awaiting scan" badge.
  for (const { path: p, image } of images(data)) {
    const ref = media.find((m) => fieldOf(m.path) === fieldOf([...p, 'src']));
    if (ref && image.placeholder === true) ref.placeholder = true;
    if (image.placeholder === true && ref?.kind && ref.kind !== 'svg') {
      add(
        'warning',
        [...p, 'placeholder'],
        `"${ref.src}" is a photo but the image is still marked as a placeholder`,
        'set "placeholder: false" so the kiosk stops labelling it "awaiting scan"',
      );
    }
  }

  // Pictures copied into media/ that no image uses: usually a "src" not yet pointed at the new scan.
  // Only once there are chapters to point at them: an empty or half-written file would list every picture.
  const used = new Set(media.map((m) => m.src));
  const hasChapters = isRecord(data) && Array.isArray(data.chapters) && data.chapters.length > 0;
  for (const file of hasChapters ? await imageFiles(root) : []) {
    if (!used.has(file)) {
      mine.push({
        severity: 'warning',
        file,
        line: 1,
        column: 1,
        field: 'media',
        message: `"${file}" is not used by any image`,
        hint: 'point an image\'s "src" at it in exhibit.yaml, or move it out of media/',
      });
    }
  }

  // A link out of the folder cannot be packed or installed; said here so it is not first heard at apply.
  // One an image uses is already named at its line in exhibit.yaml.
  const referenced = (file: string) => media.some((m) => m.src === file || m.src.startsWith(`${file}/`));
  for (const link of await refusedLinks(root).catch(() => [])) {
    if (referenced(link.file)) continue;
    mine.push({
      severity: 'error',
      file: link.file,
      line: 1,
      column: 1,
      field: 'file',
      message: link.message,
      hint: REFUSED_LINK_HINT,
    });
  }

  // Our findings are clearer than the schema's on the same field, so they replace them;
  // of two of ours on one field, the first (the more specific) stays.
  const ours = new Set<string>();
  const mineOnce = mine.filter((p) => {
    const key = `${p.severity}\u0000${p.file}\u0000${p.field}`;
    if (ours.has(key)) return false;
    ours.add(key);
    return true;
  });
  const ourErrors = new Set(mineOnce.filter((p) => p.severity === 'error').map((p) => p.field));
  const seen = new Set<string>();
  const fromSchema = parsed.problems.filter((p) => {
    if (ourErrors.has(p.field) || /^Unrecognized keys?:/.test(p.message)) return false;
    const key = `${p.field}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const problems = [...fromSchema.map(plainWords), ...mineOnce].sort(
    (a, b) =>
      (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) ||
      (a.file === b.file
        ? 0
        : a.file === EXHIBIT_FILE
          ? -1
          : b.file === EXHIBIT_FILE
            ? 1
            : a.file < b.file
              ? -1
              : 1) ||
      a.line - b.line ||
      a.column - b.column,
  );
  const ok = parsed.ok && !problems.some((p) => p.severity === 'error');
  return { ok, problems, exhibit: parsed.ok ? parsed.exhibit : undefined, source: text, media };
}

const EXTENSION_FOR: Record<MediaKind, string> = {
  jpeg: '.jpg',
  png: '.png',
  webp: '.webp',
  svg: '.svg',
  ogg: '.ogg',
  mp3: '.mp3',
  vtt: '.vtt',
};

/** Image files under `media/`, as `media/...` paths; generated screen copies are left out. */
async function imageFiles(root: string): Promise<string[]> {
  const entries = await readdir(path.join(root, 'media'), { recursive: true, withFileTypes: true }).catch(
    () => [],
  );
  return entries
    .filter((e) => e.isFile() && KIND_ROLE[kindFromExtension(e.name) ?? 'vtt'] === 'image')
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .filter((rel) => !rel.startsWith('media/_screen/'))
    .sort();
}

type Add = (severity: Problem['severity'], p: Path, message: string, hint: string) => void;

/** What the media checks share across files. */
interface MediaContext {
  root: string;
  /** The screen-copy index (`media/_screen/variants.json`). */
  copies: Record<string, IndexedVariant[]>;
  /** The command that remakes screen copies, as staff would type it. */
  buildCommand: string;
}

const mib = (bytes: number) => Math.round(bytes / 2 ** 20);

/** Checks one referenced file; fills in `ref.real`, `kind` and size when it can. */
async function checkMedia(context: MediaContext, ref: MediaRef, add: Add): Promise<void> {
  const { root } = context;
  const { src, path: p, role } = ref;
  const resolved = await resolveContentPath(root, src);
  if (!resolved.ok) {
    const messages: Record<typeof resolved.reason, [string, string]> = {
      absolute: [
        `"${src}" is an absolute path`,
        'copy the file into the media/ folder and write "media/<name>"',
      ],
      parent: [
        `"${src}" leads outside the content folder ("..")`,
        'copy the file into the media/ folder and write "media/<name>"',
      ],
      'link-out': [
        `"${src}" is a link to a file outside the content folder`,
        'copy the real file into the media/ folder instead of linking to it',
      ],
      missing: [
        `the file "${src}" does not exist`,
        'check the spelling (upper/lower case matters) or copy the file into media/',
      ],
      'not-a-file': [`"${src}" is a folder, not a file`, 'point to a file inside it'],
    };
    const [message, hint] = messages[resolved.reason];
    add('error', p, message, hint);
    return;
  }
  ref.real = resolved.real;
  const expected = kindFromExtension(src);
  const allowed = extensionsFor(role).join(', ');
  if (!expected || KIND_ROLE[expected] !== role) {
    add(
      'error',
      p,
      `"${path.extname(src) || src}" is not a ${role} file type the kiosk can show`,
      `use one of: ${allowed}`,
    );
    return;
  }
  const actual = await sniffFile(resolved.real).catch(() => undefined);
  if (actual !== expected) {
    add(
      'error',
      p,
      `"${src}" is not really a ${KIND_NAME[expected]}${actual ? ` (it is a ${KIND_NAME[actual]})` : ' (its contents are not a known format)'}`,
      actual && KIND_ROLE[actual] === role
        ? `rename it to end in ${EXTENSION_FOR[actual]} and update the path`
        : 'export the file again from the original; it may be damaged or only renamed',
    );
    return;
  }
  ref.kind = actual;
  if (actual === 'vtt') {
    const vtt = await readFile(resolved.real, 'utf8');
    if (!vtt.includes('-->')) {
      add(
        'error',
        p,
        `the captions file "${src}" has no cues`,
        'add timed lines ("00:00.000 --> 00:04.000" then the words)',
      );
    }
    return;
  }
  if (actual === 'svg') {
    const svg = await readFile(resolved.real, 'utf8');
    if (/<script|\bon[a-z]+\s*=|javascript:/i.test(svg)) {
      add(
        'warning',
        p,
        `the drawing "${src}" contains script, which the kiosk never runs`,
        'export the SVG again without scripts or event handlers',
      );
    }
    return;
  }
  if (role !== 'image') return;
  let meta: Metadata;
  try {
    // Only the header is read here; pixel limits are ours to judge, so sharp's own is off.
    meta = await sharp(resolved.real, { limitInputPixels: false }).metadata();
  } catch {
    add(
      'error',
      p,
      `"${src}" is cut short or damaged: it cannot be read as an image`,
      'copy it again from the original, or export it again',
    );
    return;
  }
  if (!meta.width || !meta.height) return;
  ref.width = meta.width;
  ref.height = meta.height;
  const pixels = meta.width * meta.height;
  if (pixels > MAX_ORIGINAL_PIXELS) {
    add(
      'error',
      p,
      `"${src}" is ${meta.width}×${meta.height} pixels: ${mib(pixels * 4)} MiB once decoded, more than the content tools can read (${Math.floor(MAX_ORIGINAL_PIXELS / 1e6)} million pixels, about 16000 × 16000)`,
      'save a smaller copy of the scan (at most 16000 pixels on each side) and use that; keep the full scan in your archive',
    );
    return;
  }
  const damage = await decodeDamage(resolved.real);
  if (damage) {
    add(
      'error',
      p,
      `"${src}" is cut short or damaged`,
      'copy it again from the original (a copy that was interrupted looks like this)',
    );
    return;
  }
  await checkCopies(context, ref, resolved.real, add);
}

/**
 * The screen copies the kiosk draws instead of a raster original: they must
 * exist, decode, and have been made from the original as it is now (the
 * SHA-256 build recorded). An original over the decoded budget needs them.
 */
async function checkCopies(context: MediaContext, ref: MediaRef, real: string, add: Add): Promise<void> {
  const { src, path: p } = ref;
  const copies = context.copies[src] ?? [];
  const bytes = (ref.width ?? 0) * (ref.height ?? 0) * 4;
  const rebuild = `make them again with: ${context.buildCommand}`;
  if (copies.length === 0) {
    if (bytes > IMAGE_DECODED_BUDGET_BYTES) {
      add(
        'error',
        p,
        `"${src}" is ${ref.width}×${ref.height} pixels: ${mib(bytes)} MiB once decoded, and it has no screen copies; ${IMAGE_LIMIT_WORDS}`,
        `make its screen copies with: ${context.buildCommand} (your scan stays as it is)`,
      );
    }
    return;
  }
  const sha256 = await fileSha256(real);
  if (copies.some((c) => c.original?.sha256 !== sha256)) {
    add(
      'error',
      p,
      `the screen copies of "${src}" were not made from this file (it was replaced or changed after they were made), so the kiosk would show the old picture`,
      rebuild,
    );
    return;
  }
  for (const copy of copies) {
    const file = await resolveContentPath(context.root, copy.src);
    if (!file.ok) {
      add('error', p, `the screen copy "${copy.src}" of "${src}" is missing`, rebuild);
      return;
    }
    const damage = await decodeDamage(file.real);
    if (damage) {
      add('error', p, `the screen copy "${copy.src}" of "${src}" is cut short or damaged`, rebuild);
      return;
    }
    if (copy.width * copy.height * 4 > IMAGE_DECODED_BUDGET_BYTES) {
      add(
        'error',
        p,
        `the screen copy "${copy.src}" is ${copy.width}×${copy.height} pixels; ${IMAGE_LIMIT_WORDS}`,
        rebuild,
      );
      return;
    }
  }
}
