/** Security headers every response carries, whichever host serves it. */

/** The Content-Security-Policy for the kiosk: nothing from outside, no inline script. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

/** Header name -> value, set on every response. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=(), payment=()',
};

/**
 * Adds {@link SECURITY_HEADERS} to a response, copying it if its headers are
 * immutable. Idempotent: a response that already has them comes out the same.
 */
export function withSecurityHeaders(res: Response): Response {
  // A route's own stricter policy (a sandbox for SVG media) is kept as a second policy; browsers enforce both.
  const own = res.headers.get('Content-Security-Policy');
  let out = res;
  try {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) out.headers.set(k, v);
  } catch {
    // Responses from fetch() have immutable headers: copy into a fresh one.
    out = new Response(res.body, { status: res.status, statusText: res.statusText, headers: res.headers });
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) out.headers.set(k, v);
  }
  // Applied twice (the Electron protocol wraps the handler's responses again), the kiosk's policy is not doubled.
  const policies = own ? own.split(/\s*,\s*/) : [];
  if (!policies.includes(CONTENT_SECURITY_POLICY)) policies.push(CONTENT_SECURITY_POLICY);
  out.headers.set('Content-Security-Policy', policies.join(', '));
  return out;
}
