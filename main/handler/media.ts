/** Exhibit media: `/media/<path>` is the file `<content dir>/media/<path>`. */
import path from 'node:path';
import { mediaType } from './mime.js';
import { notFound } from './responses.js';
import { resolveRequestPath } from './safe-path.js';
import { sendFile } from './send-file.js';
import { decodeForMessage, REVALIDATE } from './static-files.js';

/** The URL prefix of media files; an exhibit `src` of `media/x.svg` is served at `/media/x.svg`. */
export const MEDIA_PREFIX = '/media/';

/**
 * The policy an SVG carries when opened as a page of its own: a sandbox with
 * no scripts, no plug-ins and nothing fetched but pictures, fonts and styles.
 * A picture drawn by `<img>` runs no script anyway; this covers a visitor or a
 * link landing on the file itself.
 */
export const SVG_SANDBOX_POLICY =
  "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; font-src 'self' data:";

/**
 * Answers `GET|HEAD /media/...`. Media keep their names when staff replace
 * them, so they are revalidated (cheaply, by ETag) rather than cached for long.
 * Only the kinds `MEDIA_EXTENSIONS` (mime.ts) lists are served; a page, script or
 * data file in the media folder answers 404 as if it were not there.
 */
export async function serveMedia(req: Request, contentDir: string, pathname: string): Promise<Response> {
  const rel = pathname.slice(MEDIA_PREFIX.length);
  const file = await resolveRequestPath(path.join(contentDir, 'media'), rel);
  // The kind is judged by the real file's name, so a link named x.png that points at x.html is refused too.
  const type = file && mediaType(rel) && mediaType(file.path);
  if (!file || !type) return notFound(`No media file at ${decodeForMessage(pathname)}`);
  const res = sendFile(req, file, { cacheControl: REVALIDATE, contentType: type });
  if (type === 'image/svg+xml') res.headers.set('Content-Security-Policy', SVG_SANDBOX_POLICY);
  return res;
}
