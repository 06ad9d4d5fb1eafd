/**
 * Resolves a path staff wrote in exhibit.yaml (e.g. `media/plates/yalta.svg`)
 * against the content folder, refusing anything that would reach outside it:
 * absolute paths, `..`, and links whose real target lies elsewhere. Each
 * refusal has a reason, so validation can tell staff what to fix.
 */
import { realFileInside } from '../common/safe-path.js';

/** Why a written path was refused, or the real file it names. */
export type ResolvedContentPath =
  | { ok: true; real: string }
  | { ok: false; reason: 'absolute' | 'parent' | 'missing' | 'link-out' | 'not-a-file'; detail?: string };

/** True if the written path is absolute on any platform we ship to (POSIX, Windows drive, UNC). */
function looksAbsolute(p: string): boolean {
  return p.startsWith('/') || p.startsWith('\\') || /^[A-Za-z]:/.test(p);
}

/** True if any segment of the written path, split on either slash, is `..`. */
function hasParentSegment(p: string): boolean {
  return p.split(/[\\/]/).some((seg) => seg === '..');
}

/**
 * Resolves `written`, a path as staff wrote it in exhibit.yaml, inside the
 * content folder `root`. The real path is compared with the folder's real
 * path, so a symlink anywhere on the way that leads out is caught.
 */
export async function resolveContentPath(root: string, written: string): Promise<ResolvedContentPath> {
  if (looksAbsolute(written)) return { ok: false, reason: 'absolute' };
  if (hasParentSegment(written)) return { ok: false, reason: 'parent' };
  const found = await realFileInside(root, written);
  return found.ok ? { ok: true, real: found.real } : found;
}
