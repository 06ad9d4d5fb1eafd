/**
 * Maps a request's URL path to a file inside a root folder, refusing anything
 * that could reach outside it: traversal in any encoding, absolute paths, and
 * symlinks that lead out of the root.
 */
import path from 'node:path';
import { realFileInside } from '../common/safe-path.js';

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

/** A regular file found inside a root. */
export interface SafeFile {
  path: string;
  size: number;
  mtimeMs: number;
}

/**
 * Resolves `encoded`, a request's URL path below the route prefix and still
 * percent-encoded, to a regular file inside `root`, following symlinks only
 * while they stay inside. Returns undefined for anything unsafe or missing:
 * the caller answers 404 either way.
 */
export async function resolveRequestPath(root: string, encoded: string): Promise<SafeFile | undefined> {
  const segments = safeSegments(encoded);
  if (!segments) return undefined;
  try {
    const found = await realFileInside(root, path.join(...segments));
    return found.ok ? { path: found.real, size: found.size, mtimeMs: found.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}
