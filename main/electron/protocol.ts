/**
 * Serves the kiosk on `app://kiosk/` by mounting the shared request handler
 * (the same one the browser host serves over HTTP) on Electron's
 * `protocol.handle`. Any other host on the scheme gets a 404, a handler error
 * becomes a 500 instead of a network error, and no response leaves without the
 * security headers (the one CSP among them) that the browser host sends too.
 */
import type { EventLog } from '../common/log.js';
import { withSecurityHeaders } from '../handler/headers.js';
import { APP_ORIGIN, APP_SCHEME, isInAppUrl } from './security.js';

/** The shared handler's shape (`createHandler()` from main/handler/handler.ts). */
export type RequestHandler = (req: Request) => Promise<Response>;

/** Electron's `protocol.handle`, as far as used here. */
export interface ProtocolApi {
  handle(scheme: string, handler: (req: Request) => Response | Promise<Response>): void;
}

function plain(status: number, text: string): Response {
  return withSecurityHeaders(
    new Response(text, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } }),
  );
}

/**
 * Gives a state-changing request that arrived without a usable `Origin` the
 * kiosk's own. Only the kiosk's page can reach `app://` (remote pages,
 * navigation and new windows are denied), but Chromium has sent custom schemes'
 * fetches with no or a `null` Origin, which the staff routes' same-origin check
 * (meant for the browser host's localhost port) would refuse: the panel and the
 * renderer's "new version drawn" reports would then never get through.
 */
function withKioskOrigin(req: Request): Request {
  if (req.method === 'GET' || req.method === 'HEAD') return req;
  const origin = req.headers.get('origin');
  if (origin && origin !== 'null') return req;
  const headers = new Headers(req.headers);
  headers.set('origin', APP_ORIGIN);
  return new Request(req, { headers });
}

/** Wraps the shared handler for `app://`: only `app://kiosk/`, errors contained, headers guaranteed. */
export function appProtocolHandler(
  handler: RequestHandler,
  log: EventLog,
): (req: Request) => Promise<Response> {
  return async (req) => {
    if (!isInAppUrl(req.url)) return plain(404, 'Not found');
    try {
      return withSecurityHeaders(await handler(withKioskOrigin(req)));
    } catch (error) {
      log('handler-error', { url: req.url, error: error instanceof Error ? error.message : String(error) });
      return plain(500, 'Internal error');
    }
  };
}

/** Mounts the handler on `app://`. Call after the app's `ready` event. */
export function serveApp(protocol: ProtocolApi, handler: RequestHandler, log: EventLog): void {
  protocol.handle(APP_SCHEME, appProtocolHandler(handler, log));
}
