import { describe, expect, it, vi } from 'vitest';
import { appProtocolHandler, serveApp, withSecurityHeaders } from '../../main/electron/protocol.js';
import { KIOSK_CSP } from '../../main/electron/security.js';
import { isSameOrigin } from '../../main/handler/same-origin.js';

describe('app:// protocol', () => {
  it('mounts the shared handler on the app scheme and passes app://kiosk/ requests through', async () => {
    const handler = vi.fn(async (req: Request) => {
      return new Response(`served ${new URL(req.url).pathname}`, {
        headers: { 'content-security-policy': "default-src 'self'", 'x-content-type-options': 'nosniff' },
      });
    });
    let mounted: ((req: Request) => Response | Promise<Response>) | undefined;
    serveApp({ handle: (scheme, h) => scheme === 'app' && (mounted = h) }, handler, vi.fn());
    const res = await mounted!(new Request('app://kiosk/api/exhibit'));
    expect(await res.text()).toBe('served /api/exhibit');
    // The handler's own (stricter or equal) CSP is never replaced.
    expect(res.headers.get('content-security-policy')).toBe("default-src 'self'");
  });

  it('answers 404 for any other host on the scheme, without calling the handler', async () => {
    const handler = vi.fn(async () => new Response('secret'));
    const wrapped = appProtocolHandler(handler, vi.fn());
    const res = await wrapped(new Request('app://other/index.html'));
    expect(res.status).toBe(404);
    expect(handler).not.toHaveBeenCalled();
    expect(res.headers.get('content-security-policy')).toBe(KIOSK_CSP);
  });

  it('turns a handler crash into a logged 500 instead of a network error', async () => {
    const log = vi.fn();
    const wrapped = appProtocolHandler(async () => {
      throw new Error('disk on fire');
    }, log);
    const res = await wrapped(new Request('app://kiosk/'));
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain('disk on fire');
    expect(log).toHaveBeenCalledWith('handler-error', expect.objectContaining({ error: 'disk on fire' }));
  });

  it('adds the CSP and nosniff to a response that lacks them, keeping status and body', async () => {
    const res = withSecurityHeaders(
      new Response('partial', { status: 206, headers: { 'content-range': 'bytes 0-6/100' } }),
    );
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe('bytes 0-6/100');
    expect(res.headers.get('content-security-policy')).toBe(KIOSK_CSP);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toBe('partial');
  });

  it("lets the kiosk's own POSTs through the staff routes' same-origin check when Chromium sends no usable Origin", async () => {
    // A handler that answers like the staff routes do: 403 unless same-origin, else echo the body.
    const staffLike = async (req: Request) =>
      isSameOrigin(req, new URL(req.url))
        ? new Response(await req.text(), { status: 200 })
        : new Response('refused', { status: 403 });
    const wrapped = appProtocolHandler(staffLike, vi.fn());
    const post = (headers: Record<string, string>) =>
      wrapped(
        new Request('app://kiosk/api/staff/session', {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: '{"pin":"1945"}',
        }),
      );
    const none = await post({});
    expect(none.status).toBe(200);
    expect(await none.text()).toBe('{"pin":"1945"}');
    expect((await post({ origin: 'null' })).status).toBe(200);
    expect((await post({ origin: 'app://kiosk' })).status).toBe(200);
    // A real foreign origin is still refused.
    expect((await post({ origin: 'https://evil.example' })).status).toBe(403);
  });
});
