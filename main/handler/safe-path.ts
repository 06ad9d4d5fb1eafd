/**
 * Maps a URL path to a file inside a root folder, refusing anything that
 * could reach outside it: traversal in any encoding, absolute paths, and
 * symlinks that lead out of the root.
 */
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Decodes a still-percent-encoded URL path (relative to a route's prefix)
 * exactly once and splits it into plain segments, or returns undefined when
 * it is anything but a simple relative path.
 */
export function safeSegments(encoded: string): string[] | undefined {
  // An encoded slash or backslash would smuggle a separator past the split below.
  if (/%(?:2f|5c)/i.test(encoded)) return undefined;
  let decoded: string;
  try {
    // Throws on malformed escapes and on invalid UTF-8 such as overlong "%c0%ae".
    decoded = decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
  // A '%' left after one decode means double encoding (e.g. %252e): never a real file name here.
  if (/[\u0000-\u001f\u007f\\%:]/.test(decoded)) return undefined;
  if (decoded === '' || decoded.startsWith('/')) return undefined;
  const segments = decoded.split('/');
  for (const seg of segments) {
    if (seg === '' || seg === '.' || seg === '..' || /^\.+$/.test(seg.trim())) return undefined;
    // Full-width and other look-alike dots are refused outright rather than trusted to any file system.
    if (/[\u2024\u2025\uff0e\ufe52]/.test(seg)) return undefined;
  }
  return segments;
}

/** True when `child` is `parent` or lies inside it. */
function inside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** A regular file found inside a root. */
export interface SafeFile {
  path: string;
  size: number;
  mtimeMs: number;
}

/**
 * Resolves `encoded` (URL path below the route prefix, still percent-encoded)
 * to a regular file inside `root`, following symlinks only while they stay
 * inside. Returns undefined for anything unsafe or missing.
 */
export async function resolveInside(root: string, encoded: string): Promise<SafeFile | undefined> {
  const segments = safeSegments(encoded);
  if (!segments) return undefined;
  const candidate = path.resolve(root, ...segments);
  if (!inside(path.resolve(root), candidate)) return undefined;
  try {
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(candidate)]);
    if (!inside(realRoot, realFile) || realFile === realRoot) return undefined;
    const info = await stat(realFile);
    if (!info.isFile()) return undefined;
    return { path: realFile, size: info.size, mtimeMs: info.mtimeMs };
  } catch {
    return undefined;
  }
}
