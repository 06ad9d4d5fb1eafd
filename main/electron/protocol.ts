/**
 * Serves the kiosk on `app://kiosk/` by mounting the shared request handler
 * (the same one the browser host serves over HTTP) on Electron's
 * `protocol.handle`. Any other host on the scheme gets a 404, a handler error
 * becomes a 500 instead of a network error, and no response leaves without the
 * kiosk's CSP.
 */
import { APP_SCHEME, KIOSK_CSP, isInAppUrl } from './security.js';
import type { EventLog } from './recovery.js';

/** The shared handler's shape (`createHandler()` from main/handler/handler.ts). */
export type RequestHandler = (req: Request) => Promise<Response>;

/** Electron's `protocol.handle`, as far as used here. */
export interface ProtocolApi {
  handle(scheme: string, handler: (req: Request) => Response | Promise<Response>): void;
}

function plain(status: number, text: string): Response {
  return new Response(text, {
    status,
    headers: {
      'content-type': 'text/plain; charset=utf-8',
      'content-security-policy': KIOSK_CSP,
      'x-content-type-options': 'nosniff',
    },
  });
}

/** Adds the CSP and nosniff headers to a response that lacks them (never loosens an existing one). */
export function withSecurityHeaders(res: Response): Response {
  if (res.headers.has('content-security-policy') && res.headers.has('x-content-type-options')) return res;
  const headers = new Headers(res.headers);
  if (!headers.has('content-security-policy')) headers.set('content-security-policy', KIOSK_CSP);
  if (!headers.has('x-content-type-options')) headers.set('x-content-type-options', 'nosniff');
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
}

/** Wraps the shared handler for `app://`: only `app://kiosk/`, errors contained, headers guaranteed. */
export function appProtocolHandler(
  handler: RequestHandler,
  log: EventLog,
): (req: Request) => Promise<Response> {
  return async (req) => {
    if (!isInAppUrl(req.url)) return plain(404, 'Not found');
    try {
      return withSecurityHeaders(await handler(req));
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
