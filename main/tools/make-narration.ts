/**
 * Generates the bundled exhibit's placeholder narration, offline, with eSpeak NG and SoX.
 *
 * For every chapter and every exhibit language it speaks the chapter title and body,
 * sentence by sentence, measures each sentence's audio, joins them with short pauses and
 * writes:
 *   - `assets/exhibit/media/narration/<chapter>.<lang>.ogg` (mono Ogg Vorbis, low bitrate)
 *   - `assets/exhibit/media/narration/<chapter>.<lang>.vtt` (one cue per spoken sentence,
 *     timed from the measured audio, so the captions are exactly what is heard)
 *   - `assets/exhibit/media/narration/narration.json`, the `narration:` entry of each chapter.
 *
 * Run: `npx tsx main/tools/make-narration.ts [--only CHAPTER] [--force] [--apply] [--dir CONTENT]`
 *   --only   regenerate one chapter
 *   --force  regenerate even where the text has not changed
 *   --apply  also write the `narration:` entries into exhibit.yaml (comments and layout kept)
 *   --dir    another content folder (default: the bundled exhibit)
 *
 * Needs `espeak-ng` and `sox` with Ogg Vorbis support (Debian: `apt-get install espeak-ng
 * sox libsox-fmt-all`). The output is committed; builds and CI never run this.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { isMap, isSeq, parse, parseDocument } from 'yaml';

const DEFAULT_DIR = fileURLToPath(new URL('../../assets/exhibit/', import.meta.url));
const MEDIA_PREFIX = 'media/narration';
let EXHIBIT_YAML = join(DEFAULT_DIR, 'exhibit.yaml');
let OUT = join(DEFAULT_DIR, MEDIA_PREFIX);
let MAP_FILE = join(OUT, 'narration.json');

/** Bump when the synthesis settings change, so every file is regenerated. */
const RECIPE = 'espeak-ng/2';
const RATE = 22050;
/** Silence after a sentence, and after the title, in seconds. */
const GAP = 0.45;
const TITLE_GAP = 0.9;
/** Captions longer than this are split at clause boundaries so a cue fits two or three lines. */
const MAX_CUE_CHARS = 120;

/** eSpeak NG voice and speed (words per minute) per language: unhurried, for a gallery. */
const VOICES: Record<string, { voice: string; speed: number }> = {
  en: { voice: 'en-gb', speed: 150 },
  ru: { voice: 'ru', speed: 145 },
};

/** The credit each narration carries until the museum records its own. */
export const CREDIT = {
  en: 'Synthetic placeholder narration (eSpeak NG), to be replaced by the museum’s own recording.',
  ru: 'Временное синтезированное озвучивание (eSpeak NG); будет заменено записью музея.',
};

type Text = Record<string, string>;
interface ChapterText {
  id: string;
  title: Text;
  body: Text[];
}

/** One `narration:` entry, as the content schema expects it. */
interface NarrationEntry {
  audio: string;
  captions: string;
  credit: Text;
}
/** narration.json: per chapter, per language, the entry plus the hash of what was spoken. */
type NarrationMap = Record<string, Record<string, NarrationEntry & { hash: string; seconds: number }>>;

/** Splits text into the sentences a listener hears as units. */
export function sentences(text: string, lang: string): string[] {
  const raw = [...new Intl.Segmenter(lang, { granularity: 'sentence' }).segment(text)]
    .map((s) => s.segment.replace(/\s+/g, ' ').trim())
    // ICU does not break before a sentence that opens with a number ("…в плен. 18 августа…");
    // break there unless the full stop ends a short abbreviation such as "г." or "тыс.".
    .flatMap((s) => s.split(/(?<=[\p{L}\p{N}»")]{4}[.!?]) (?=\d)/u))
    .filter(Boolean);
  // ICU breaks after initials ("A. M. Vasilevsky") and short abbreviations; glue those back.
  const merged: string[] = [];
  for (const s of raw) {
    const prev = merged.at(-1);
    if (prev !== undefined && (/(?:^|[\s.])\p{Lu}\.$/u.test(prev) || prev.length < 12)) {
      merged[merged.length - 1] = `${prev} ${s}`;
    } else merged.push(s);
  }
  return merged.flatMap((s) => splitLong(s));
}

/** Splits an over-long sentence at clause boundaries into parts of similar length. */
function splitLong(sentence: string): string[] {
  if (sentence.length <= MAX_CUE_CHARS) return [sentence];
  const clauses = sentence.split(/(?<=[,;:—–])\s+/u);
  const parts: string[] = [];
  let current = '';
  for (const clause of clauses) {
    const candidate = current ? `${current} ${clause}` : clause;
    if (current && candidate.length > MAX_CUE_CHARS && current.length >= 40) {
      parts.push(current);
      current = clause;
    } else current = candidate;
  }
  if (current) parts.push(current);
  // A trailing scrap reads badly on its own.
  if (parts.length > 1 && parts.at(-1)!.length < 30) {
    const last = parts.pop()!;
    parts[parts.length - 1] += ` ${last}`;
  }
  return parts.flatMap(halve);
}

/** Splits a clause still too long for a caption at the word break nearest its middle. */
function halve(part: string): string[] {
  if (part.length <= MAX_CUE_CHARS + 20) return [part];
  const mid = part.length / 2;
  let best = -1;
  for (let i = part.indexOf(' '); i >= 0; i = part.indexOf(' ', i + 1)) {
    if (best < 0 || Math.abs(i - mid) < Math.abs(best - mid)) best = i;
  }
  if (best < 0) return [part];
  return [...halve(part.slice(0, best)), ...halve(part.slice(best + 1))];
}

/** `HH:MM:SS.mmm`, as WebVTT wants. */
export function vttTime(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(ms % 1000, 3)}`;
}

/** Escapes cue text so it is shown literally. */
function vttEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Writes a WebVTT document from timed cues. */
export function formatVtt(cues: { start: number; end: number; text: string }[], note: string): string {
  const blocks = cues.map(
    (c, i) => `${i + 1}\n${vttTime(c.start)} --> ${vttTime(c.end)}\n${vttEscape(c.text)}`,
  );
  return `WEBVTT\n\nNOTE ${note.replace(/-->/g, '→')}\n\n${blocks.join('\n\n')}\n`;
}

function wavSeconds(file: string): number {
  return Number(execFileSync('soxi', ['-D', file], { encoding: 'utf8' }).trim());
}

function speak(text: string, lang: string, file: string, work: string): number {
  const v = VOICES[lang];
  if (!v) throw new Error(`no eSpeak NG voice configured for "${lang}"`);
  // Text goes through a file, never argv, so a sentence can never be read as an option.
  const txt = join(work, 'sentence.txt');
  writeFileSync(txt, text);
  const raw = join(work, 'raw.wav');
  execFileSync('espeak-ng', ['-v', v.voice, '-s', String(v.speed), '-f', txt, '-w', raw]);
  // eSpeak leaves silence at both ends; trim it so cue times follow the voice.
  execFileSync('sox', [
    raw,
    '-r',
    String(RATE),
    '-c',
    '1',
    file,
    'silence',
    '1',
    '0.02',
    '0.5%',
    'reverse',
    'silence',
    '1',
    '0.02',
    '0.5%',
    'reverse',
  ]);
  return wavSeconds(file);
}

function silence(seconds: number, file: string): void {
  execFileSync('sox', ['-n', '-r', String(RATE), '-c', '1', '-b', '16', file, 'trim', '0', String(seconds)]);
}

/** What is spoken for a chapter, part by part, with the pause after each. */
function script(chapter: ChapterText, lang: string): { text: string; gap: number }[] {
  const spoken: { text: string; gap: number }[] = [];
  const title = chapter.title[lang];
  if (title) spoken.push({ text: title, gap: TITLE_GAP });
  for (const para of chapter.body) {
    const text = para[lang];
    if (!text) continue;
    const parts = sentences(text, lang);
    parts.forEach((s, i) => spoken.push({ text: s, gap: i === parts.length - 1 ? GAP * 1.6 : GAP }));
  }
  return spoken;
}

/** Synthesises one chapter in one language; returns the length in seconds. */
function narrate(chapter: ChapterText, lang: string, work: string): number {
  const spoken = script(chapter, lang);
  const files: string[] = [];
  const cues: { start: number; end: number; text: string }[] = [];
  let t = 0;
  for (const [i, part] of spoken.entries()) {
    const file = join(work, `s${String(i).padStart(4, '0')}.wav`);
    const seconds = speak(part.text, lang, file, work);
    cues.push({ start: t, end: t + seconds, text: part.text });
    files.push(file);
    t += seconds;
    if (i < spoken.length - 1) {
      const gap = join(work, `g${String(i).padStart(4, '0')}.wav`);
      silence(part.gap, gap);
      files.push(gap);
      // The caption stays up through the pause, so it does not flicker between sentences.
      cues.at(-1)!.end = t + part.gap;
      t += part.gap;
    }
  }
  const joined = join(work, 'joined.wav');
  execFileSync('sox', [...files, joined]);
  const base = join(OUT, `${chapter.id}.${lang}`);
  // 16 kHz mono Vorbis at the lowest quality is ~20 kbit/s and still clear for speech.
  // Peaks normalised to -1 dBFS so every chapter is equally loud and nothing clips in resampling.
  execFileSync('sox', [joined, '-C', '-1', `${base}.ogg`, 'norm', '-1', 'rate', '16000']);
  writeFileSync(`${base}.vtt`, formatVtt(cues, `${CREDIT.en} ${chapter.id} (${lang})`));
  return wavSeconds(joined);
}

function hashOf(chapter: ChapterText, lang: string): string {
  const h = createHash('sha256');
  h.update(RECIPE);
  // The split into parts is hashed too, so a change to the sentence rules regenerates.
  h.update(JSON.stringify([script(chapter, lang), VOICES[lang], RATE]));
  return h.digest('hex').slice(0, 16);
}

/** Writes the narration entries into exhibit.yaml through the YAML Document API. */
function apply(map: NarrationMap): void {
  const before = readFileSync(EXHIBIT_YAML, 'utf8');
  const doc = parseDocument(before);
  const chapters = doc.get('chapters');
  if (!isSeq(chapters)) throw new Error('exhibit.yaml has no chapters list');
  for (const item of chapters.items) {
    if (!isMap(item)) continue;
    const id = item.get('id');
    const entries = typeof id === 'string' ? map[id] : undefined;
    if (!entries) continue;
    const narration = Object.fromEntries(
      Object.entries(entries).map(([lang, e]) => [
        lang,
        { audio: e.audio, captions: e.captions, credit: e.credit },
      ]),
    );
    item.set('narration', doc.createNode(narration, { aliasDuplicateObjects: false }));
  }
  const after = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  // Refuse an edit that would touch anything but the narration entries.
  const removed = before.split('\n').filter((l) => !after.includes(l));
  if (removed.length > 0) {
    throw new Error(
      `--apply would rewrite other lines of exhibit.yaml (first: ${JSON.stringify(removed[0])})`,
    );
  }
  writeFileSync(EXHIBIT_YAML, after);
  console.log(`wrote narration entries into ${EXHIBIT_YAML}`);
}

function main(): void {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      force: { type: 'boolean', default: false },
      apply: { type: 'boolean', default: false },
      dir: { type: 'string', default: DEFAULT_DIR },
    },
  });
  EXHIBIT_YAML = join(values.dir, 'exhibit.yaml');
  OUT = join(values.dir, MEDIA_PREFIX);
  MAP_FILE = join(OUT, 'narration.json');
  const exhibit = parse(readFileSync(EXHIBIT_YAML, 'utf8')) as {
    settings?: { languages?: string[] };
    chapters: ChapterText[];
  };
  const langs = exhibit.settings?.languages ?? ['en'];
  mkdirSync(OUT, { recursive: true });
  const previous: NarrationMap = existsSync(MAP_FILE) ? JSON.parse(readFileSync(MAP_FILE, 'utf8')) : {};
  const map: NarrationMap = {};
  const work = mkdtempSync(join(tmpdir(), 'vitrine-narration-'));
  try {
    for (const chapter of exhibit.chapters) {
      map[chapter.id] = {};
      for (const lang of langs) {
        const hash = hashOf(chapter, lang);
        const old = previous[chapter.id]?.[lang];
        const base = join(OUT, `${chapter.id}.${lang}`);
        const fresh =
          old?.hash === hash && existsSync(`${base}.ogg`) && existsSync(`${base}.vtt`) && !values.force;
        const skip = values.only !== undefined && values.only !== chapter.id;
        let seconds = old?.seconds ?? 0;
        if (!fresh && !(skip && old)) {
          seconds = narrate(chapter, lang, work);
          console.log(
            `${chapter.id}.${lang}: ${seconds.toFixed(1)} s, ${statSync(`${base}.ogg`).size} bytes`,
          );
        }
        map[chapter.id]![lang] = {
          audio: `${MEDIA_PREFIX}/${chapter.id}.${lang}.ogg`,
          captions: `${MEDIA_PREFIX}/${chapter.id}.${lang}.vtt`,
          credit: CREDIT,
          hash: skip && old ? old.hash : hash,
          seconds,
        };
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  // Files of chapters or languages no longer in the exhibit would otherwise ship forever.
  const wanted = new Set(
    Object.values(map).flatMap((langs) => Object.values(langs).flatMap((e) => [e.audio, e.captions])),
  );
  for (const name of readdirSync(OUT)) {
    if (/\.(ogg|vtt)$/.test(name) && !wanted.has(`${MEDIA_PREFIX}/${name}`)) {
      rmSync(join(OUT, name));
      console.log(`removed stale ${name}`);
    }
  }
  writeFileSync(MAP_FILE, `${JSON.stringify(map, null, 2)}\n`);
  console.log(`wrote ${MAP_FILE}`);
  if (values.apply) apply(map);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
