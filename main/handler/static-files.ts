/**
 * The renderer bundle: `/` is its index.html, `/assets/*` are Vite's
 * content-hashed files (cached for a year), everything else is revalidated.
 */
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { INLINE_EXHIBIT_ID, type ExhibitPayload } from '../contract/exhibit.js';
import { PAGE_KEY_META } from '../contract/page-key.js';
import { INLINE_SCHEDULE_ID, type ScheduleStatus } from '../contract/schedule.js';
import { firstScreenShell, withFirstScreenShell } from './first-screen-shell.js';
import { notFound } from './responses.js';
import { resolveRequestPath } from './safe-path.js';
import { sendFile } from './send-file.js';

/** Cache policy for file names Vite stamps with a content hash. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Cache policy for files that keep their name when they change. */
export const REVALIDATE = 'no-cache';

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Vitrine: renderer not built</title>
<style>body{background:#14171c;color:#efe6d2;font:24px/1.5 sans-serif;margin:10vh 10vw}code{color:#c9a45c}</style>
</head><body><h1>The Vitrine renderer is not built yet</h1>
<p>Run <code>npm run build</code> in the project folder, then reload this page.</p></body></html>`;

/**
 * `<script type="application/json">` holding `json`. Every `<` is written as
 * `\u003c`, which JSON reads back as the same character, so no text staff
 * wrote (`</script>`, `<!--`) can end the element or open markup.
 */
function jsonScript(id: string, json: string): string {
  return `<script type="application/json" id="${id}">${json.replace(/</g, '\\u003c')}</script>`;
}

/** What the served `index.html` carries besides the bundle. */
export interface IndexExtras {
  /** The page key, in a `<meta>` (main/contract/page-key.ts). */
  pageKey: string;
  /** The exhibit payload as `GET /api/exhibit` answers it now, if there is one. */
  exhibit?: () => ExhibitPayload | undefined;
  /** The opening hours' state now (`always-open` where none are set); undefined on a host that keeps no schedule. */
  schedule?: () => ScheduleStatus | undefined;
}

/**
 * `index.html` with the page key in a `<meta>`, the attract screen's masthead
 * in the app's element (drawn before the script runs; not in closed hours,
 * when the screen is black) and the current exhibit and opening hours inlined
 * at the end of the body. Never cached: the key changes at every start, the
 * exhibit with every version and the hours with the clock.
 */
async function indexWithExtras(req: Request, file: string, extras: IndexExtras): Promise<Response> {
  const html = await readFile(file, 'utf8');
  const meta = `<meta name="${PAGE_KEY_META}" content="${extras.pageKey}">`;
  let page = /<head[^>]*>/i.test(html) ? html.replace(/<head[^>]*>/i, (head) => head + meta) : meta + html;
  const payload = req.method === 'HEAD' ? undefined : extras.exhibit?.();
  const hours = req.method === 'HEAD' ? undefined : extras.schedule?.();
  let data = '';
  if (payload) {
    data += jsonScript(INLINE_EXHIBIT_ID, JSON.stringify(payload));
    if (hours?.state !== 'scheduled-off') page = withFirstScreenShell(page, firstScreenShell(payload));
  }
  if (hours) data += jsonScript(INLINE_SCHEDULE_ID, JSON.stringify(hours));
  if (data) page = /<\/body>/i.test(page) ? page.replace(/<\/body>/i, (end) => data + end) : page + data;
  return new Response(req.method === 'HEAD' ? null : page, {
    status: 200,
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}

/**
 * Answers `GET|HEAD` for a renderer file; `pathname` is the URL path, still
 * encoded. With `extras`, `index.html` carries them (and is never cached).
 */
export async function serveRenderer(
  req: Request,
  rendererDir: string,
  pathname: string,
  extras?: IndexExtras,
): Promise<Response> {
  const rel = pathname === '/' ? 'index.html' : pathname.slice(1);
  const file = await resolveRequestPath(rendererDir, rel);
  if (!file) {
    if (rel === 'index.html') {
      const built = await access(path.join(rendererDir, 'index.html')).then(
        () => true,
        () => false,
      );
      if (!built) {
        return new Response(req.method === 'HEAD' ? null : NOT_BUILT_PAGE, {
          status: 503,
          headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' },
        });
      }
    }
    return notFound(`No file at ${decodeForMessage(pathname)}`);
  }
  if (extras && rel === 'index.html') return indexWithExtras(req, file.path, extras);
  const hashed = rel.startsWith('assets/');
  return sendFile(req, file, { cacheControl: hashed ? IMMUTABLE : REVALIDATE });
}

/** A path fit to echo in an error message: decoded if possible, and short. */
export function decodeForMessage(pathname: string): string {
  let text = pathname;
  try {
    text = decodeURI(pathname);
  } catch {
    // Keep the encoded form.
  }
  text = text.replace(/[\u0000-\u001f\u007f]/g, '?');
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
