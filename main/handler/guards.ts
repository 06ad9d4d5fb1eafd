/**
 * What every guarded route checks first, written once: the staff session's
 * bearer token and what it may do, a rate limit, and a JSON body read within
 * a size bound (./body.ts).
 */
import type { StaffAuth } from '../staff/auth.js';
import { readBodyLimited } from './body.js';
import { json } from './responses.js';

/** The staff session token from `Authorization: Bearer <64 hex>`, or undefined. */
export function bearerToken(req: Request): string | undefined {
  return /^Bearer ([0-9a-f]{64})$/i.exec((req.headers.get('authorization') ?? '').trim())?.[1];
}

/**
 * The answer refusing a request whose session may not act, or undefined when
 * it may: 401 without a live session; 403 while the first-run PIN is set
 * (printed in the guide, it may only set a new PIN) unless `firstRunMay`.
 * `touch` counts the request as a staff touch (a status poll does not).
 */
export function staffRefusal(
  auth: Pick<StaffAuth, 'session'>,
  req: Request,
  opts: { touch: boolean; firstRunMay?: boolean },
): Response | undefined {
  const session = auth.session(bearerToken(req), opts.touch);
  if (session === 'none') return json(401, { error: 'Sign in with the staff PIN first' });
  if (session === 'first-run' && !opts.firstRunMay)
    return json(403, { error: 'Change the PIN first: the first-run PIN only allows setting a new one' });
  return undefined;
}

/**
 * A limit of `requests` per `windowMs` from all clients together: the returned
 * function counts one request and says whether it is over the limit.
 */
export function createRateLimiter(
  limit: { requests: number; windowMs: number },
  now: () => number = Date.now,
): () => boolean {
  let windowStart = 0;
  let count = 0;
  return () => {
    const at = now();
    if (at - windowStart > limit.windowMs) {
      windowStart = at;
      count = 0;
    }
    return ++count > limit.requests;
  };
}

/** A JSON body, or why there is none: `broken` (it broke off) or `not-json`. */
export type JsonBody = { ok: true; value: unknown } | { ok: false; reason: 'broken' | 'not-json' };

/**
 * Reads `req`'s body as JSON, buffering at most `limit` bytes (throws
 * `BodyTooLarge` past it, ./body.ts). An empty body reads as `emptyAs` when
 * given, else as `not-json`.
 */
export async function readJsonBody(
  req: Request,
  limit: number,
  opts: { emptyAs?: unknown } = {},
): Promise<JsonBody> {
  const text = await readBodyLimited(req, limit);
  if (text === undefined) return { ok: false, reason: 'broken' };
  if (text === '' && 'emptyAs' in opts) return { ok: true, value: opts.emptyAs };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, reason: 'not-json' };
  }
}
