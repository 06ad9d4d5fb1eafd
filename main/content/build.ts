/**
 * `content build DIR`: screen-sized WebP copies of every raster image, so
 * the kiosk never decodes a full archival scan. Originals are never touched;
 * the exhibit records each original's pixel size so the layout can reserve
 * space before the image arrives.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { isMap, isScalar, parseDocument } from 'yaml';
import { EXHIBIT_FILE, readVariantIndex, VARIANTS_FILE } from './load.js';
import { silentProgress, type Progress } from './progress.js';
import type { Exhibit, ImageVariant } from './schema.js';
import { validateContent, type MediaRef } from './validate.js';

/** Longest edges made, in pixels: a 1080p screen, and a 4K one. Never larger than the original. */
export const VARIANT_EDGES = [1920, 3840] as const;

/** Where variants go, inside `media/` so the handler serves them like any media. */
export const VARIANTS_DIR = 'media/_screen';

/** One screen-sized copy of an image, as the index records it. */
export type Variant = ImageVariant;

/** What {@link buildContent} did. */
export interface BuildResult {
  variants: Record<string, Variant[]>;
  /** Images that could not be processed, with why. */
  skipped: { src: string; reason: string }[];
  /** Number of variant files written (fresh ones are kept). */
  written: number;
  /** True when width/height were written back into exhibit.yaml. */
  exhibitUpdated: boolean;
}

/** The variant path for an original and a size: `media/a/b.jpg` -> `media/_screen/a/b.1920.webp`. */
export function variantPath(src: string, edge: number): string {
  const rel = src.replace(/^media\//, '');
  const parsed = path.posix.parse(rel);
  return path.posix.join(VARIANTS_DIR, parsed.dir, `${parsed.name}.${edge}.webp`);
}

/** The sizes to make for an image of this size: only ones smaller than it. */
export function plannedEdges(width: number, height: number): number[] {
  const longest = Math.max(width, height);
  return VARIANT_EDGES.filter((edge) => edge < longest);
}

const isFresh = async (file: string, than: string) => {
  try {
    return (await stat(file)).mtimeMs >= (await stat(than)).mtimeMs;
  } catch {
    return false;
  }
};

/**
 * The screen copies already indexed for the exhibit's placeholder plates. The
 * plate generator (`main/tools/make-plates.ts`) draws those, with the plate's
 * own fonts, which this build has not got; they are kept while every file is
 * there. A plate replaced by a scan is no longer a placeholder, so its old
 * copies drop out of the index.
 */
async function platesCopies(root: string, exhibit: Exhibit | undefined): Promise<Record<string, Variant[]>> {
  const index = await readVariantIndex(root);
  const kept: Record<string, Variant[]> = {};
  const plates = exhibit?.chapters.flatMap((c) => c.images).filter((i) => i.placeholder) ?? [];
  for (const { src } of plates) {
    const list = index[src];
    if (!list?.length) continue;
    const present = await Promise.all(
      list.map((v) =>
        stat(path.join(root, v.src)).then(
          (s) => s.isFile(),
          () => false,
        ),
      ),
    );
    if (present.every(Boolean)) kept[src] = list;
  }
  return kept;
}

/**
 * Makes the variants for every raster image in `dir` and records pixel
 * sizes in `exhibit.yaml` (comments and layout kept).
 */
export async function buildContent(dir: string, progress: Progress = silentProgress): Promise<BuildResult> {
  const root = path.resolve(dir);
  const report = await validateContent(root);
  const rasters = report.media.filter(
    (m): m is MediaRef & { real: string } =>
      m.role === 'image' &&
      m.real !== undefined &&
      (m.kind === 'jpeg' || m.kind === 'png' || m.kind === 'webp'),
  );
  const result: BuildResult = { variants: {}, skipped: [], written: 0, exhibitUpdated: false };
  const sizes = new Map<string, { width: number; height: number }>();
  for (const [i, ref] of rasters.entries()) {
    progress.update(i, rasters.length, ref.src);
    try {
      const image = sharp(ref.real).rotate();
      const meta = await image.metadata();
      if (!meta.width || !meta.height) throw new Error('no size in the file');
      // EXIF orientations 5-8 turn the picture a quarter: width and height swap on screen.
      const turned = (meta.orientation ?? 1) >= 5;
      const width = turned ? meta.height : meta.width;
      const height = turned ? meta.width : meta.height;
      sizes.set(ref.path.slice(0, -1).join('\u0000'), { width, height });
      const list: Variant[] = [];
      for (const edge of plannedEdges(width, height)) {
        const out = variantPath(ref.src, edge);
        const outAbs = path.join(root, out);
        const scale = edge / Math.max(width, height);
        const variant = { src: out, width: Math.round(width * scale), height: Math.round(height * scale) };
        if (!(await isFresh(outAbs, ref.real))) {
          await mkdir(path.dirname(outAbs), { recursive: true });
          await sharp(ref.real)
            .rotate()
            .resize({ width: edge, height: edge, fit: 'inside', withoutEnlargement: true })
            .webp({ quality: 82 })
            .toFile(outAbs);
          result.written++;
        }
        list.push(variant);
      }
      result.variants[ref.src] = list;
    } catch (err) {
      result.skipped.push({ src: ref.src, reason: (err as Error).message.split('\n')[0] ?? 'unknown error' });
    }
  }
  progress.update(rasters.length, rasters.length);
  progress.done();
  // Copies this build made win over any the index already had.
  result.variants = { ...(await platesCopies(root, report.exhibit)), ...result.variants };
  await mkdir(path.join(root, VARIANTS_DIR), { recursive: true });
  await writeFile(path.join(root, VARIANTS_FILE), `${JSON.stringify(result.variants, null, 2)}\n`);
  result.exhibitUpdated = await recordSizes(root, sizes);
  return result;
}

/**
 * Writes width/height into each image of exhibit.yaml where they differ.
 * Edits the text in place rather than re-serialising the document, so the
 * curator's comments, quoting and spacing stay exactly as they were.
 */
async function recordSizes(
  root: string,
  sizes: Map<string, { width: number; height: number }>,
): Promise<boolean> {
  if (sizes.size === 0) return false;
  const file = path.join(root, EXHIBIT_FILE);
  let text = await readFile(file, 'utf8');
  const doc = parseDocument(text, { keepSourceTokens: true });
  if (doc.errors.length > 0) return false;
  const edits: { at: number; end: number; insert: string }[] = [];
  for (const [key, size] of sizes) {
    const at = key.split('\u0000').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    const node = doc.getIn(at, true);
    if (!isMap(node) || node.flow) continue;
    const pairOf = (name: string) => node.items.find((it) => isScalar(it.key) && it.key.value === name);
    const src = pairOf('src');
    const srcKey = src?.key as { range?: [number, number, number] } | undefined;
    const srcValue = src?.value as { range?: [number, number, number] } | undefined;
    if (!srcKey?.range || !srcValue?.range) continue;
    const missing: string[] = [];
    for (const dim of ['width', 'height'] as const) {
      const pair = pairOf(dim);
      const value = pair?.value as { range?: [number, number, number] } | null | undefined;
      if (pair && isScalar(pair.value) && value?.range) {
        if (pair.value.value !== size[dim])
          edits.push({ at: value.range[0], end: value.range[1], insert: String(size[dim]) });
      } else if (!pair) {
        missing.push(`${dim}: ${size[dim]}`);
      }
    }
    if (missing.length > 0) {
      const lineStart = text.lastIndexOf('\n', srcKey.range[0]) + 1;
      const indent = ' '.repeat(srcKey.range[0] - lineStart);
      const lineEnd = text.indexOf('\n', srcValue.range[1]);
      const endOfSrc = lineEnd === -1 ? text.length : lineEnd;
      edits.push({ at: endOfSrc, end: endOfSrc, insert: missing.map((m) => `\n${indent}${m}`).join('') });
    }
  }
  if (edits.length === 0) return false;
  for (const e of edits.sort((a, b) => b.at - a.at))
    text = text.slice(0, e.at) + e.insert + text.slice(e.end);
  await writeFile(file, text);
  return true;
}
