/**
 * Reading request bodies with a size bound that holds before a byte is
 * buffered: a declared `Content-Length` over the limit is refused unread, and
 * a chunked or undeclared body is read chunk by chunk and cancelled as soon as
 * it passes the limit. A kiosk must never hold a hostile upload in memory.
 */

/** Thrown by {@link readBodyLimited} when a body is, or declares itself, larger than allowed. */
export class BodyTooLarge extends Error {
  override readonly name = 'BodyTooLarge';
  constructor(readonly limit: number) {
    super(`request body larger than ${limit} bytes`);
  }
}

/** The declared body length, or undefined when there is none or it is not a plain number. */
function declaredLength(req: Request): number | undefined {
  const raw = req.headers.get('Content-Length');
  if (raw === null) return undefined;
  const trimmed = raw.trim();
  // Only plain digits: a signed, fractional or exponent form is no length at all, so the stream decides.
  for (let i = 0; i < trimmed.length; i++) {
    const c = trimmed.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  return trimmed === '' ? undefined : Number(trimmed);
}

/**
 * Reads `req`'s body as UTF-8 text, never taking in more than `limit` bytes
 * plus the one chunk that crossed it. Throws {@link BodyTooLarge} when the body
 * is larger; a body that fails midway (the client went away) reads as
 * undefined.
 */
export async function readBodyLimited(req: Request, limit: number): Promise<string | undefined> {
  const declared = declaredLength(req);
  if (declared !== undefined && declared > limit) {
    // Nothing is read; the host discards or closes the rest of the upload.
    throw new BodyTooLarge(limit);
  }
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => undefined);
        throw new BodyTooLarge(limit);
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof BodyTooLarge) throw err;
    return undefined;
  } finally {
    reader.releaseLock();
  }
  return Buffer.concat(chunks).toString('utf8');
}
