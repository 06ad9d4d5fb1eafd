/**
 * Reads an exhibit from a content folder (`exhibit.yaml` plus `media/`) and
 * validates it against the schema, reporting each problem with the file,
 * line and column staff need to find it.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isSeq, type Node as YamlNode } from 'yaml';
import { z } from 'zod';
import type { Problem } from '../contract/problems.js';
import { Exhibit, fillMissingLanguages, ImageVariant } from './schema.js';
import { explainYamlError, parseExhibitYaml, readYamlData } from './yaml-locate.js';

/** The name of the exhibit file inside a content folder. */
export const EXHIBIT_FILE = 'exhibit.yaml';

export type { Problem } from '../contract/problems.js';

/** The outcome of loading a content folder. */
export type LoadResult =
  | { ok: true; exhibit: Exhibit; problems: Problem[]; source: string }
  | { ok: false; problems: Problem[]; source?: string };

/** Formats a problem on one line: `file:line:column  field  what is wrong  how to fix`. */
export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.column}  ${p.field || '(whole file)'}  ${p.message}  ${p.hint}`;
}

/** Finds the YAML node at a field path, to report where a problem lies. */
function nodeAt(root: YamlNode | null | undefined, fieldPath: readonly PropertyKey[]): YamlNode | undefined {
  let node: YamlNode | null | undefined = root;
  let last: YamlNode | undefined = root ?? undefined;
  for (const key of fieldPath) {
    if (isMap(node)) {
      const pair = node.items.find((it) => (it.key as { value?: unknown } | null)?.value === key);
      if (!pair) break;
      node = pair.value as YamlNode | null;
      last = (pair.value as YamlNode | null) ?? (pair.key as YamlNode);
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key] as YamlNode | null;
      if (!node) break;
      last = node;
    } else break;
  }
  return last;
}

function hintFor(issue: z.core.$ZodIssue): string {
  // A rule that knows its own fix says it (the opening hours do).
  const own = (issue as { params?: { hint?: unknown } }).params?.hint;
  if (typeof own === 'string') return own;
  switch (issue.code) {
    case 'invalid_type':
      return `write a ${issue.expected} here`;
    case 'unrecognized_keys':
      return 'remove the key or check its spelling';
    case 'too_small':
      return 'add the missing entries or text';
    case 'invalid_format':
    case 'invalid_value':
      return 'correct the value as described';
    default:
      return issue.message.startsWith('missing the')
        ? 'add the translation'
        : 'correct the value as described';
  }
}

/**
 * Parses and validates exhibit YAML text. Pure apart from its inputs, so the
 * CLI, the hosts and tests share it.
 */
export function parseExhibit(text: string, file = EXHIBIT_FILE): LoadResult {
  const { doc, lineCounter } = parseExhibitYaml(text);
  const at = (offset: number | undefined) => {
    const pos = lineCounter.linePos(offset ?? 0);
    return { line: pos.line, column: pos.col };
  };
  if (doc.errors.length > 0) {
    const mistake = explainYamlError(text, doc.errors, lineCounter);
    return {
      ok: false,
      source: text,
      problems: [
        {
          severity: 'error',
          file,
          line: mistake.line,
          column: mistake.column,
          field: '',
          message: mistake.message,
          hint: mistake.hint,
        },
      ],
    };
  }
  if (doc.contents === null) {
    return {
      ok: false,
      source: text,
      problems: [
        {
          severity: 'error',
          file,
          line: 1,
          column: 1,
          field: '',
          message: `${file} is empty${text.trim() ? ' (it holds only comments)' : ''}`,
          hint: 'start again from the bundled exhibit with: npm run content -- init NEW-FOLDER, or restore the file from a backup',
        },
      ],
    };
  }
  // Aliases that would expand too far (or point nowhere) make the YAML library throw: a problem, not a crash.
  const data = readYamlData(doc, lineCounter, file);
  if (!data.ok) {
    const { line, column, message, hint } = data.mistake;
    return {
      ok: false,
      source: text,
      problems: [{ severity: 'error', file, line, column, field: '', message, hint }],
    };
  }
  const parsed = Exhibit.safeParse(data.data);
  if (!parsed.success) {
    return {
      ok: false,
      source: text,
      problems: parsed.error.issues.map((issue) => {
        const node = nodeAt(doc.contents, issue.path);
        return {
          severity: 'error' as const,
          file,
          ...at(node?.range?.[0]),
          field: issue.path.map(String).join('.'),
          message: issue.message,
          hint: hintFor(issue),
        };
      }),
    };
  }
  return { ok: true, exhibit: parsed.data, problems: [], source: text };
}

/**
 * Loads `exhibit.yaml` from a content folder as the kiosk serves it: screen
 * copies attached and every missing translation filled from the first
 * language. Never throws for bad content.
 */
export async function loadExhibit(dir: string): Promise<LoadResult> {
  let text: string;
  try {
    text = await readFile(path.join(dir, EXHIBIT_FILE), 'utf8');
  } catch (err) {
    return {
      ok: false,
      problems: [
        {
          severity: 'error',
          file: EXHIBIT_FILE,
          line: 1,
          column: 1,
          field: '',
          message: `cannot read ${EXHIBIT_FILE}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
          hint: `make sure the content folder ${dir} holds ${EXHIBIT_FILE}`,
        },
      ],
    };
  }
  const result = parseExhibit(text);
  if (result.ok) {
    await attachVariants(result.exhibit, dir);
    // Once per loaded version: every text the kiosk serves has every language (the first
    // language where a translation is missing), so host and page never disagree on a fallback.
    fillMissingLanguages(result.exhibit);
  }
  return result;
}

/**
 * Where the screen-sized copies (`content build`'s and the plate generator's)
 * are indexed, keyed by the original's `src`.
 */
export const VARIANTS_FILE = 'media/_screen/variants.json';

/**
 * The original a screen copy was made from, as `content build` records it:
 * its SHA-256 (so a replaced scan is noticed whatever date the file carries)
 * and its pixel size as shown (EXIF rotation applied), for the layout.
 */
const CopyOrigin = z
  .object({
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    width: z.number().int().positive(),
    height: z.number().int().positive(),
  })
  .strict();

/**
 * One screen copy as the index keeps it. `original` is absent in indexes
 * written before copies were tied to their original, and for the plates'
 * copies: such copies of a photo count as not matching it.
 */
export const IndexedVariant = ImageVariant.extend({ original: CopyOrigin.optional() }).strict();
export type IndexedVariant = z.infer<typeof IndexedVariant>;

/**
 * The index of screen copies in content folder `dir`. A missing or unreadable
 * index reads as empty: the originals are shown, and the tools remake it. An
 * entry outside the schema is dropped on its own, and told to `onDropped`:
 * one bad entry must not cost every other picture its copies.
 */
export async function readVariantIndex(
  dir: string,
  onDropped?: (src: string, why: string) => void,
): Promise<Record<string, IndexedVariant[]>> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path.join(dir, VARIANTS_FILE), 'utf8'));
  } catch {
    return {};
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  const index: Record<string, IndexedVariant[]> = {};
  for (const [src, list] of Object.entries(raw)) {
    const parsed = z.array(IndexedVariant).safeParse(list);
    if (parsed.success) index[src] = parsed.data;
    else onDropped?.(src, parsed.error.issues[0]?.message ?? 'not a list of copies');
  }
  return index;
}

/**
 * Gives each image slot the screen-sized copies `content build` made for it,
 * so the renderer never decodes a full-size scan it would only shrink, and
 * the original's pixel size build measured, so the layout can reserve its
 * space. A missing or damaged index just means the originals are shown.
 */
async function attachVariants(exhibit: Exhibit, dir: string): Promise<void> {
  const index = await readVariantIndex(dir);
  for (const chapter of exhibit.chapters) {
    for (const image of chapter.images) {
      const list = index[image.src];
      if (!list?.length) continue;
      // The renderer is sent the copies only; where they came from stays on the host.
      image.variants = list
        .map(({ src, width, height }) => ({ src, width, height }))
        .sort((a, b) => a.width - b.width);
      const original = list[0]?.original;
      if (original) Object.assign(image, { width: original.width, height: original.height });
    }
  }
}
