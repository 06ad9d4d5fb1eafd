/**
 * The core both path resolvers share: find the real file a relative path
 * names below a root folder, and refuse it when its real location, after
 * every symlink on the way, lies outside that folder.
 */
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/** True if `child` is `parent` or lies below it (both absolute, already resolved). */
export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** A regular file found inside a root, or why there is none. */
export type RealFile =
  | { ok: true; real: string; size: number; mtimeMs: number }
  | { ok: false; reason: 'missing' | 'link-out' | 'not-a-file'; detail?: string };

/**
 * Resolves `relative` (already checked to be relative and free of `..` by the
 * caller, whose rules differ) against the real path of `root`. Throws only when
 * `root` itself cannot be resolved.
 */
export async function realFileInside(root: string, relative: string): Promise<RealFile> {
  const realRoot = await realpath(root);
  let real: string;
  try {
    real = await realpath(path.join(realRoot, relative));
  } catch (err) {
    return { ok: false, reason: 'missing', detail: (err as NodeJS.ErrnoException).code };
  }
  if (!isInside(realRoot, real)) return { ok: false, reason: 'link-out', detail: real };
  const info = await stat(real);
  if (!info.isFile()) return { ok: false, reason: 'not-a-file' };
  return { ok: true, real, size: info.size, mtimeMs: info.mtimeMs };
}
