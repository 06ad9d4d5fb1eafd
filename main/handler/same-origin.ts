/** Telling the kiosk's own pages from any other page that can reach the host. */

/**
 * True when the request comes from the kiosk's own pages: a browser always
 * sends `Sec-Fetch-Site` and, on POST, `Origin`; a cross-site page cannot fake
 * either. (`new URL('app://kiosk').origin` is "null", so scheme and host are compared.)
 */
export function isSameOrigin(req: Request, url: URL): boolean {
  const site = req.headers.get('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none') return false;
  const origin = req.headers.get('origin');
  if (origin) {
    try {
      const o = new URL(origin);
      if (o.protocol !== url.protocol || o.host !== url.host) return false;
    } catch {
      return false;
    }
  } else if (req.method !== 'GET' && req.method !== 'HEAD' && !site) {
    // A state-changing request with neither header did not come from a browser page of ours.
    return false;
  }
  return true;
}
