/** Exhibit media: `/media/<path>` is the file `<content dir>/media/<path>`. */
import path from 'node:path';
import { notFound } from './responses.js';
import { resolveRequestPath } from './safe-path.js';
import { sendFile } from './send-file.js';
import { decodeForMessage, REVALIDATE } from './static-files.js';

/** The URL prefix of media files; an exhibit `src` of `media/x.svg` is served at `/media/x.svg`. */
export const MEDIA_PREFIX = '/media/';

/**
 * Answers `GET|HEAD /media/...`. Media keep their names when staff replace
 * them, so they are revalidated (cheaply, by ETag) rather than cached for long.
 */
export async function serveMedia(req: Request, contentDir: string, pathname: string): Promise<Response> {
  const rel = pathname.slice(MEDIA_PREFIX.length);
  const file = await resolveRequestPath(path.join(contentDir, 'media'), rel);
  if (!file) return notFound(`No media file at ${decodeForMessage(pathname)}`);
  return sendFile(req, file, { cacheControl: REVALIDATE });
}
