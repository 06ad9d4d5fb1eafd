/**
 * The resting page: what the kiosk shows once its screen has failed too often
 * to keep retrying. A fixed page made here, as a `data:` URL: it needs nothing
 * from the content store, the handler or the renderer build (any of which may
 * be what fails), has no script and no animation, and forbids loading anything.
 */
import { escapeHtml } from '../common/escape-html.js';
import { pick } from '../contract/exhibit.js';

/** The words under the title. */
export const RESTING_MESSAGE = 'Back soon';

/**
 * The exhibit's title in its first language, by the page's own rule (`pick`),
 * or undefined when there is no valid content.
 */
export function exhibitTitle(
  title: Readonly<Record<string, string>> | undefined,
  languages: readonly string[] = [],
): string | undefined {
  return pick(title, languages[0] ?? 'en').trim() || undefined;
}

/** The resting page's HTML: the title (if known) and {@link RESTING_MESSAGE}, on the kiosk's dark background. */
export function restingPageHtml(title: string | undefined): string {
  const heading = title ? `<h1>${escapeHtml(title)}</h1>` : '';
  return [
    '<!doctype html><html><head><meta charset="utf-8">',
    // Nothing may load or run: the page is its own text and inline style.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<title>Vitrine</title><style>',
    'html,body{margin:0;height:100%;background:#14171c;color:#e8e4dc;cursor:none;user-select:none}',
    'body{display:flex;flex-direction:column;align-items:center;justify-content:center;',
    'font-family:Georgia,serif;text-align:center}',
    'h1{font-size:4vw;font-weight:normal;margin:0 8vw 2vw}p{font-size:2.5vw;margin:0;opacity:.7}',
    '</style></head><body>',
    heading,
    `<p>${RESTING_MESSAGE}</p>`,
    '</body></html>',
  ].join('');
}

/** The resting page as a `data:` URL for `webContents.loadURL`. */
export function restingPageUrl(title: string | undefined): string {
  return `data:text/html;charset=utf-8,${encodeURIComponent(restingPageHtml(title))}`;
}
