/**
 * The manifest of a content package: which files it holds, each with its
 * SHA-256, and which content version they make up. A kiosk installs a
 * package only when every byte matches.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { isInside } from '../common/safe-path.js';
import { ContentError } from './errors.js';

/** The manifest's file name at the root of a package. */
export const MANIFEST_FILE = 'manifest.json';

/** The manifest as written into every package. */
export const Manifest = z
  .object({
    format: z.literal('vitrine-content'),
    formatVersion: z.literal(1),
    /** The exhibit's `id`. */
    exhibitId: z.string().min(1),
    /** The exhibit's `version`, as staff wrote it. */
    contentVersion: z.string().min(1),
    /** When the package was made, ISO 8601. */
    createdAt: z.string().min(1),
    /** Every file of the content folder (POSIX paths), with size and SHA-256 (hex). */
    files: z.record(
      z.string(),
      z.object({ size: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
    ),
  })
  .strict();
export type Manifest = z.infer<typeof Manifest>;

/** SHA-256 of a file, hex. */
function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** Names that editors and operating systems leave behind; never part of content. */
const JUNK = /^(?:\..*|Thumbs\.db|desktop\.ini|~\$.*|.*~)$/i;

/** A link in a content folder that cannot be packed: where it is, and why in staff words. */
export interface RefusedLink {
  /** The link's POSIX path inside the content folder, e.g. `media/linkdir`. */
  file: string;
  message: string;
}

/** The two lists {@link contentFiles} and {@link refusedLinks} share one walk for. */
async function walkContent(root: string): Promise<{ files: string[]; refused: RefusedLink[] }> {
  const files: string[] = [];
  const refused: RefusedLink[] = [];
  const realRoot = await realpath(root);
  const walk = async (rel: string) => {
    const entries = await readdir(path.join(root, rel), { withFileTypes: true });
    for (const e of entries) {
      if (JUNK.test(e.name)) continue;
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      const info = await lstat(path.join(root, childRel));
      if (info.isSymbolicLink()) {
        // A link to a file inside the folder is packed as that file; anything else is refused.
        const real = await realpath(path.join(root, childRel)).catch(() => undefined);
        const target = real ? await stat(real).catch(() => undefined) : undefined;
        if (!real || !target) {
          refused.push({ file: childRel, message: `${childRel} is a link that leads nowhere` });
        } else if (!isInside(realRoot, real)) {
          refused.push({
            file: childRel,
            message: `${childRel} is a link to something outside the content folder`,
          });
        } else if (!target.isFile()) {
          refused.push({ file: childRel, message: `${childRel} is a link to a folder` });
        } else files.push(childRel);
      } else if (info.isDirectory()) await walk(childRel);
      else if (info.isFile()) files.push(childRel);
    }
  };
  await walk('');
  return { files: files.sort(), refused: refused.sort((a, b) => (a.file < b.file ? -1 : 1)) };
}

/** What staff do about a refused link. */
export const REFUSED_LINK_HINT = 'copy the real file in instead of linking to it';

/**
 * The links in a content folder that a package cannot carry (outside the
 * folder, to a folder, or leading nowhere), so `content validate`, the
 * preview panel and the kiosk log name them before an apply trips on them.
 */
export async function refusedLinks(root: string): Promise<RefusedLink[]> {
  return (await walkContent(root)).refused;
}

/**
 * Every file of a content folder that belongs in a package, as sorted POSIX
 * paths. Hidden files (`.vscode/`, `.DS_Store`) are left out; a symbolic
 * link counts as the file it points to when that lies inside the folder, and
 * is refused otherwise.
 */
export async function contentFiles(root: string): Promise<string[]> {
  const { files, refused } = await walkContent(root);
  const [first] = refused;
  if (first) throw new ContentError(`${first.message}; ${REFUSED_LINK_HINT}`);
  return files;
}

/** Hashes every content file of `root` into a manifest's `files`. */
export async function hashContent(
  root: string,
  onFile?: (done: number, total: number, file: string) => void,
): Promise<Manifest['files']> {
  const files = await contentFiles(root);
  const result: Manifest['files'] = {};
  for (const [i, rel] of files.entries()) {
    const full = path.join(root, rel);
    result[rel] = { size: (await stat(full)).size, sha256: await sha256File(full) };
    onFile?.(i + 1, files.length, rel);
  }
  return result;
}

/** A short, stable id for a manifest: the first 12 hex digits of its SHA-256. */
function manifestDigest(manifest: Manifest): string {
  const files = Object.fromEntries(Object.entries(manifest.files).sort(([a], [b]) => a.localeCompare(b)));
  const canonical = JSON.stringify({ ...manifest, createdAt: undefined, files });
  return createHash('sha256').update(canonical).digest('hex').slice(0, 12);
}

/** The store's folder name for a version: readable version plus digest, e.g. `3-1a2b3c4d5e6f`. */
export function versionId(manifest: Manifest): string {
  const readable = manifest.contentVersion.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 40) || 'v';
  return `${readable}-${manifestDigest(manifest)}`;
}
