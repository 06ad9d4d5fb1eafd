/**
 * The attract screen's masthead, written into the served `index.html` so the
 * first frame shows the exhibit's name before the renderer's script has run.
 * The page's own stylesheet places it where the attract loop draws its
 * masthead; the renderer removes it as it mounts, in the frame the loop's own
 * masthead first paints.
 */
import { FIRST_SCREEN_SHELL_CLASS, pick, type ExhibitPayload } from '../contract/exhibit.js';
import { escapeHtml } from '../common/escape-html.js';

/**
 * The masthead as the attract loop first shows it: the source's name over the
 * exhibit's title, in the exhibit's default language. Hidden from assistive
 * technology, which reads the app's own heading a moment later.
 */
export function firstScreenShell(payload: ExhibitPayload): string {
  const { exhibit } = payload;
  const lang = exhibit.settings.defaultLanguage;
  return (
    `<div class="${FIRST_SCREEN_SHELL_CLASS}" aria-hidden="true"><div class="masthead">` +
    `<p class="eyebrow">${escapeHtml(pick(exhibit.source.name, lang))}</p>` +
    `<p class="title">${escapeHtml(pick(exhibit.title, lang))}</p></div></div>`
  );
}

/**
 * `html` with `shell` as the first content of its `<div id="app">`, or
 * unchanged when there is no such element.
 */
export function withFirstScreenShell(html: string, shell: string): string {
  return html.replace(/<div id="app">/i, (open) => open + shell);
}
