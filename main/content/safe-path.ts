/**
 * Resolves a path written in the exhibit against the content folder and
 * refuses anything that would reach outside it: absolute paths, `..`, and
 * links whose real target lies elsewhere.
 */
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/** Why a path was refused, or the real file it names. */
export type ResolvedPath =
  | { ok: true; real: string }
  | { ok: false; reason: 'absolute' | 'parent' | 'missing' | 'link-out' | 'not-a-file'; detail?: string };

/** True if `child` is `parent` or lies below it (both real, absolute paths). */
export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** True if the written path is absolute on any platform we ship to (POSIX, Windows drive, UNC). */
export function looksAbsolute(p: string): boolean {
  return p.startsWith('/') || p.startsWith('\\') || /^[A-Za-z]:/.test(p) || path.isAbsolute(p);
}

/** True if any segment of the written path, split on either slash, is `..`. */
export function hasParentSegment(p: string): boolean {
  return p.split(/[\\/]/).some((seg) => seg === '..');
}

/**
 * Resolves `written` (e.g. `media/plates/yalta.svg`) inside `root`. The real
 * path is compared with the folder's real path, so a symlink anywhere on the
 * way that leads out is caught.
 */
export async function resolveInside(root: string, written: string): Promise<ResolvedPath> {
  if (looksAbsolute(written)) return { ok: false, reason: 'absolute' };
  if (hasParentSegment(written)) return { ok: false, reason: 'parent' };
  const realRoot = await realpath(root);
  let real: string;
  try {
    real = await realpath(path.join(realRoot, written));
  } catch (err) {
    return { ok: false, reason: 'missing', detail: (err as NodeJS.ErrnoException).code };
  }
  if (!isInside(realRoot, real)) return { ok: false, reason: 'link-out', detail: real };
  const info = await stat(real);
  if (!info.isFile()) return { ok: false, reason: 'not-a-file' };
  return { ok: true, real };
}
