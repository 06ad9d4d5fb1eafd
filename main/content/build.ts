/**
 * `content build DIR`: screen-sized WebP copies of every raster image, so
 * the kiosk never decodes a full archival scan. Each copy is tied to the
 * exact bytes of its original (SHA-256 in the copy index), so a replaced
 * scan is always copied again, whatever date the file carries. Build writes
 * only inside `media/_screen/`: originals and `exhibit.yaml` are never
 * changed; the originals' pixel sizes go into the index, from where the
 * hosts give them to the layout.
 */
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { ContentError, EXIT } from './errors.js';
import { readVariantIndex, VARIANTS_FILE, type IndexedVariant } from './load.js';
import { decodeDamage, fileSha256, MAX_ORIGINAL_PIXELS } from './media-check.js';
import { silentProgress, type Progress } from './progress.js';
import { mediaPathProblem, RENAME_MEDIA_HINT } from './schema.js';
import { validateContent, type MediaRef } from './validate.js';

/** Longest edges made, in pixels: a 1080p screen, and a 4K one. Never larger than the original. */
export const VARIANT_EDGES = [1920, 3840] as const;

/** Where variants go, inside `media/` so the handler serves them like any media. */
const VARIANTS_DIR = 'media/_screen';

/** One screen-sized copy of an image, as the index records it. */
export type Variant = IndexedVariant;

/** What {@link buildContent} did. */
export interface BuildResult {
  variants: Record<string, Variant[]>;
  /** Images that could not be processed, with why. */
  skipped: { src: string; reason: string }[];
  /** Number of variant files written (copies that still match their original are kept). */
  written: number;
  /** Originals whose copies were (re)made, with the copies' paths. */
  made: { src: string; copies: string[] }[];
  /** Originals whose copies already matched them. */
  upToDate: string[];
  /** Copies removed because the exhibit no longer names their original. */
  removed: string[];
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

const isFile = (file: string) =>
  stat(file).then(
    (s) => s.isFile(),
    () => false,
  );

/**
 * The screen copies of the exhibit's placeholder plates. The plate generator
 * (`main/tools/make-plates.ts`) draws those, with the plate's own fonts, which
 * this build has not got; they are kept while every file is there, and taken
 * back from disk when the index has lost them. A plate replaced by a scan is
 * no longer a placeholder, so its old copies drop out of the index.
 */
async function platesCopies(
  root: string,
  media: MediaRef[],
  index: Record<string, Variant[]>,
): Promise<Record<string, Variant[]>> {
  const kept: Record<string, Variant[]> = {};
  for (const { src } of media.filter((m) => m.role === 'image' && m.placeholder)) {
    const list = index[src];
    if (list?.length) {
      const present = await Promise.all(list.map((v) => isFile(path.join(root, v.src))));
      if (present.every(Boolean)) kept[src] = list;
      continue;
    }
    const onDisk: Variant[] = [];
    for (const edge of VARIANT_EDGES) {
      const copy = variantPath(src, edge);
      const meta = await sharp(path.join(root, copy))
        .metadata()
        .catch(() => undefined);
      if (meta?.width && meta.height) onDisk.push({ src: copy, width: meta.width, height: meta.height });
    }
    if (onDisk.length === VARIANT_EDGES.length) kept[src] = onDisk;
  }
  return kept;
}

/** Every file under `media/_screen/`, as media paths. */
async function screenFiles(root: string): Promise<string[]> {
  const entries = await readdir(path.join(root, VARIANTS_DIR), {
    recursive: true,
    withFileTypes: true,
  }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) =>
      path.posix.join(
        VARIANTS_DIR,
        path
          .relative(path.join(root, VARIANTS_DIR), path.join(e.parentPath, e.name))
          .split(path.sep)
          .join('/'),
      ),
    );
}

/**
 * Removes the screen copies of pictures the exhibit no longer has (a plate
 * deleted, a scan renamed), which `pack` would otherwise ship. A copy of a
 * picture still named in exhibit.yaml is left, even when build could not
 * remake it this time.
 */
async function pruneCopies(
  root: string,
  media: MediaRef[],
  kept: Record<string, Variant[]>,
): Promise<string[]> {
  const keep = new Set([VARIANTS_FILE, ...Object.values(kept).flatMap((list) => list.map((v) => v.src))]);
  for (const { src } of media) for (const edge of VARIANT_EDGES) keep.add(variantPath(src, edge));
  const removed: string[] = [];
  for (const file of await screenFiles(root)) {
    if (keep.has(file)) continue;
    await rm(path.join(root, file), { force: true });
    removed.push(file);
  }
  return removed;
}

/** True when `old` is exactly the set of copies planned, made from these bytes, all on disk and whole. */
async function stillMatches(root: string, old: Variant[] | undefined, planned: Variant[]): Promise<boolean> {
  if (!old || old.length !== planned.length) return false;
  for (const [i, v] of planned.entries()) {
    const o = old[i]!;
    if (o.src !== v.src || o.width !== v.width || o.height !== v.height) return false;
    if (o.original?.sha256 !== v.original?.sha256) return false;
    const file = path.join(root, v.src);
    if (!(await isFile(file)) || (await decodeDamage(file))) return false;
  }
  return true;
}

/**
 * Makes the screen copies of every raster image in `dir` that lacks copies
 * matching its current content, and rewrites the copy index. Writes nothing
 * outside `media/_screen/`.
 */
export async function buildContent(dir: string, progress: Progress = silentProgress): Promise<BuildResult> {
  const root = path.resolve(dir);
  const report = await validateContent(root);
  if (report.source !== undefined && report.media.length === 0 && !report.exhibit) {
    const first = report.problems.find((p) => p.severity === 'error');
    if (first && first.field === '') {
      throw new ContentError(
        `nothing built: ${first.file}:${first.line}: ${first.message}. Fix it, then build again (npm run content -- validate ${dir} checks it)`,
        EXIT.invalid,
      );
    }
  }
  const rasters = report.media.filter(
    (m): m is MediaRef & { real: string } =>
      m.role === 'image' &&
      m.real !== undefined &&
      (m.kind === 'jpeg' || m.kind === 'png' || m.kind === 'webp'),
  );
  const index = await readVariantIndex(root);
  const result: BuildResult = { variants: {}, skipped: [], written: 0, made: [], upToDate: [], removed: [] };
  for (const [i, ref] of rasters.entries()) {
    progress.update(i, rasters.length, ref.src);
    if (result.variants[ref.src]) continue;
    // A name the kiosk would refuse gets no copies: an index entry for it would be refused too.
    const refused = mediaPathProblem(ref.src);
    if (refused) {
      result.skipped.push({ src: ref.src, reason: `${refused}; ${RENAME_MEDIA_HINT}` });
      continue;
    }
    try {
      const meta = await sharp(ref.real, { limitInputPixels: MAX_ORIGINAL_PIXELS }).metadata();
      if (!meta.width || !meta.height) throw new Error('no size in the file');
      // A picture that does not decode whole is reported even when it is too small to need copies.
      const damage = await decodeDamage(ref.real);
      if (damage) throw new Error(damage);
      // EXIF orientations 5-8 turn the picture a quarter: width and height swap on screen.
      const turned = (meta.orientation ?? 1) >= 5;
      const width = turned ? meta.height : meta.width;
      const height = turned ? meta.width : meta.height;
      const original = { sha256: await fileSha256(ref.real), width, height };
      const planned: Variant[] = plannedEdges(width, height).map((edge) => {
        const scale = edge / Math.max(width, height);
        return {
          src: variantPath(ref.src, edge),
          width: Math.round(width * scale),
          height: Math.round(height * scale),
          original,
        };
      });
      if (await stillMatches(root, index[ref.src], planned)) {
        result.upToDate.push(ref.src);
      } else {
        for (const v of planned) {
          const out = path.join(root, v.src);
          const part = `${out}.part.webp`;
          await mkdir(path.dirname(out), { recursive: true });
          try {
            await sharp(ref.real, { limitInputPixels: MAX_ORIGINAL_PIXELS, failOn: 'error' })
              .rotate()
              .resize({ width: v.width, height: v.height, fit: 'fill' })
              .webp({ quality: 82 })
              .toFile(part);
            await rename(part, out);
          } finally {
            await rm(part, { force: true });
          }
          result.written++;
        }
        if (planned.length > 0) result.made.push({ src: ref.src, copies: planned.map((v) => v.src) });
      }
      result.variants[ref.src] = planned;
    } catch (err) {
      const reason = (err as Error).message.split('\n')[0] ?? 'unknown error';
      // What sharp refuses while decoding is a file cut short or damaged: say what to do about it.
      result.skipped.push({
        src: ref.src,
        reason: /VipsJpeg|vipspng|webp|corrupt|premature|truncated/i.test(reason)
          ? 'it is cut short or damaged: copy it again from the original'
          : reason,
      });
    }
  }
  progress.update(rasters.length, rasters.length);
  progress.done();
  // Copies this build made win over any the index already had.
  result.variants = { ...(await platesCopies(root, report.media, index)), ...result.variants };
  if (report.source !== undefined) result.removed = await pruneCopies(root, report.media, result.variants);
  await mkdir(path.join(root, VARIANTS_DIR), { recursive: true });
  await writeFile(path.join(root, VARIANTS_FILE), `${JSON.stringify(result.variants, null, 2)}\n`);
  return result;
}
