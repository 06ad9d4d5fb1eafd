/**
 * The page key: a random value the host mints at each start and writes into
 * the `index.html` it serves. The kiosk's page sends it back with the reports
 * that can roll a version back or confirm it, so a report from anything that
 * did not load the page is told apart. In the Electron kiosk nothing else can
 * reach the host at all; in the browser host a local process could still read
 * the page, so there the key keeps out only clients that never load it.
 */

/** `<meta name="…" content="KEY">` in the served `index.html`. */
export const PAGE_KEY_META = 'vitrine-page-key';

/** The request header the page sends the key in. */
export const PAGE_KEY_HEADER = 'x-vitrine-page-key';
