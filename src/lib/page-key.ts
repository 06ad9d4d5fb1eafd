/**
 * The page key the host wrote into this page's `index.html`
 * (main/contract/page-key.ts), as headers for the reports that need it.
 */
import { PAGE_KEY_HEADER, PAGE_KEY_META } from '../../main/contract/page-key.js';

/** `{ 'x-vitrine-page-key': KEY }`, or no header when the page was served without one. */
export function pageKeyHeaders(): Record<string, string> {
  const key =
    typeof document === 'undefined'
      ? null
      : document.querySelector(`meta[name="${PAGE_KEY_META}"]`)?.getAttribute('content');
  return key ? { [PAGE_KEY_HEADER]: key } : {};
}
