/**
 * The exhibit's JSON Schema, generated from the zod schema so editors such as
 * VS Code (with the YAML extension) autocomplete fields and underline
 * mistakes. Also walks raw exhibit data against it to name unknown keys.
 */
import { writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { CAPTION_LIMIT } from './limits.js';
import { Exhibit } from './schema.js';

/** The file name of the schema inside a content folder. */
export const SCHEMA_FILE = 'exhibit.schema.json';

/** The modeline that points the YAML language server at the schema. */
export const SCHEMA_MODELINE = `# yaml-language-server: $schema=./${SCHEMA_FILE}`;

/** A JSON Schema node, loosely typed: we only read the parts we walk. */
export type JsonSchema = {
  [key: string]: unknown;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema | JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
};

/**
 * What each field means, shown by editors on hover. Keyed by field name; the
 * same name means the same thing wherever it appears.
 */
const DESCRIPTIONS: Record<string, string> = {
  schemaVersion: 'Always 1.',
  id: 'A short name in lower-case letters, digits and hyphens, e.g. "yalta-agreement". Must be unique.',
  version:
    'Your version of this content, e.g. "2025-03-a" (a number such as 2 works too). Shown in the staff panel; packages are named by it.',
  title: 'The title, one line per language.',
  subtitle: 'The line under the title, one line per language.',
  source: 'Where the text comes from.',
  settings: 'How the kiosk behaves: idle times, languages, sound.',
  idleSeconds: 'Seconds without a touch before the kiosk asks "Still there?".',
  countdownSeconds: 'Length of the "Still there?" countdown before the kiosk returns to the start.',
  attractSecondsPerSlide: 'How long each slide of the attract loop stays up.',
  defaultLanguage: 'The language visitors meet first.',
  languages:
    'Every language offered, as two- or three-letter codes (en, ru, de, fr, uk, ja…). Each text should have a line in each; where one is missing, visitors see the first language.',
  audio: 'Sound limits. Visitors can mute but never go louder than maxVolume.',
  maxVolume: 'Loudest volume, from 0 (silent) to 1.',
  uiSounds: 'Quiet sounds on touch.',
  ambient: 'Background sound in the attract loop.',
  openingHours:
    'When the kiosk is open. Outside these hours its screen is black and it rests. Leave it out to stay open all the time.',
  weekly:
    'Per day (mon, tue, wed, thu, fri, sat, sun), the times it is open, e.g. ["09:00-18:00"]. An end before the start runs past midnight ("20:00-02:00"); a day left out or empty is closed.',
  closed:
    'Whole days closed even inside the weekly hours, e.g. "2026-12-25", or a range "2026-12-24..2026-12-26".',
  timeZone:
    'The time zone the hours are in, e.g. "Europe/Berlin". Leave it out to use the kiosk computer\'s own.',
  chapters: 'The screens of the exhibit, in order.',
  dateLabel: 'The date as visitors read it, e.g. "9 August 1945".',
  date: 'The date for ordering: YYYY-MM-DD, YYYY-MM or YYYY.',
  summary: 'One line shown on the home screen and in the attract loop.',
  body: 'Paragraphs of text. Each paragraph has one entry per language.',
  images: 'Pictures of this chapter.',
  src: 'The file, inside the media folder, e.g. "media/scans/yalta.jpg".',
  placeholder: 'true while the picture is a stand-in plate; set to false when you put the real scan in.',
  caption: `Shown under the picture: at most ${CAPTION_LIMIT} characters, or it would not fit its box.`,
  credit: 'Who made or holds the original, e.g. the archive and its reference.',
  alt: 'What the picture shows, for visitors who cannot see it.',
  width: 'Pixel width. Optional: "content build" measures each picture itself.',
  height: 'Pixel height. Optional: "content build" measures each picture itself.',
  sensitive: 'true keeps it out of the unattended attract loop.',
  narration: 'Spoken narration per language: an audio file and its captions.',
  captions: 'A WebVTT (.vtt) file with the spoken words, for visitors who cannot hear.',
  timeline: 'Entries of the timeline screen.',
  figures: 'Large numbers on the "In numbers" screen.',
  map: 'The campaign map.',
  credits: 'Lines of the credits screen.',
  chapter: 'The id of the chapter this links to.',
  interface:
    "The kiosk's own buttons and labels (Next, Home, Listen…) per language code. English and Russian are built in; for another language, translate any of the keys here: a key left out shows in English.",
};

function describe(schema: unknown): void {
  if (Array.isArray(schema)) return schema.forEach(describe);
  if (schema === null || typeof schema !== 'object') return;
  const node = schema as JsonSchema;
  for (const [key, sub] of Object.entries(node.properties ?? {})) {
    const text = DESCRIPTIONS[key];
    if (text && sub.description === undefined) sub.description = text;
  }
  for (const v of Object.values(node)) describe(v);
}

/**
 * The JSON Schema of `exhibit.yaml` as staff write it (defaults make fields
 * optional). Draft-07, which the YAML language server understands fully.
 */
export function exhibitJsonSchema(): JsonSchema {
  const generated = z.toJSONSchema(Exhibit, {
    target: 'draft-7',
    io: 'input',
    unrepresentable: 'any',
  }) as JsonSchema;
  describe(generated);
  return {
    $schema: generated.$schema,
    $comment: 'Generated from main/content/schema.ts by `npm run content -- schema`. Do not edit by hand.',
    title: 'Vitrine exhibit',
    description:
      'One exhibit for the Vitrine kiosk: texts in every enabled language, and the media they show.',
    ...Object.fromEntries(Object.entries(generated).filter(([k]) => k !== '$schema')),
  };
}

/** The schema as the text written to disk. */
function exhibitJsonSchemaText(): string {
  return `${JSON.stringify(exhibitJsonSchema(), null, 2)}\n`;
}

/**
 * Writes the schema to `file`. Inside the repository the text is run through
 * prettier when it is installed, so `npm run check` stays green; the packaged
 * app has no prettier and writes plain JSON.
 */
export async function writeJsonSchema(file: string): Promise<void> {
  let text = exhibitJsonSchemaText();
  try {
    const prettier = await import('prettier');
    text = await prettier.format(text, { parser: 'json', printWidth: 110 });
  } catch {
    // No prettier (the packaged app): plain JSON is just as valid.
  }
  await writeFile(file, text);
}

/** A key the schema does not know, with the keys it would accept there. */
export interface UnknownKey {
  path: (string | number)[];
  key: string;
  known: string[];
}

function branches(schema: JsonSchema): JsonSchema[] {
  const subs = [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])];
  return subs.length > 0 ? subs.flatMap(branches) : [schema];
}

/**
 * Every key in `value` that the schema does not allow at its place. Walks
 * only where the data's shape matches, so wrong types are left to zod.
 */
export function findUnknownKeys(
  value: unknown,
  schema: JsonSchema = exhibitJsonSchema(),
  path: (string | number)[] = [],
): UnknownKey[] {
  const found: UnknownKey[] = [];
  const candidates = branches(schema);
  if (Array.isArray(value)) {
    const arraySchema = candidates.find((s) => s.items !== undefined);
    if (!arraySchema) return found;
    value.forEach((v, i) => {
      const items = arraySchema.items;
      const itemSchema = Array.isArray(items) ? items[i] : items;
      if (itemSchema) found.push(...findUnknownKeys(v, itemSchema, [...path, i]));
    });
    return found;
  }
  if (value === null || typeof value !== 'object') return found;
  const objectSchema = candidates.find(
    (s) => s.properties !== undefined || s.additionalProperties !== undefined,
  );
  if (!objectSchema) return found;
  const props = objectSchema.properties ?? {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const sub = props[key];
    if (sub) {
      found.push(...findUnknownKeys(v, sub, [...path, key]));
    } else if (typeof objectSchema.additionalProperties === 'object') {
      found.push(...findUnknownKeys(v, objectSchema.additionalProperties, [...path, key]));
    } else if (objectSchema.additionalProperties === false) {
      found.push({ path, key, known: Object.keys(props) });
    }
  }
  return found;
}
