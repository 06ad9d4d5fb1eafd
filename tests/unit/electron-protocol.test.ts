import { get } from 'node:http';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createContentSource, type ContentSource } from '../../main/content/source.js';
import { appProtocolHandler, serveApp } from '../../main/electron/protocol.js';
import { createHandler } from '../../main/handler/handler.js';
import { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from '../../main/handler/headers.js';
import { isSameOrigin } from '../../main/handler/same-origin.js';
import { startHttpHost, type HttpHost } from '../../main/hosts/http-host.js';
import { makeFixture, type Fixture } from './handler-fixture.js';

/** A GET to the browser host with a Host header of our choosing (fetch may not set one). */
function getWithHost(url: string, hostHeader: string): Promise<Response> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { host: hostHeader } }, (res) => {
      res.resume();
      const headers = new Headers();
      for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers.set(k, v);
      resolve(new Response(null, { status: res.statusCode, headers }));
    }).on('error', reject);
  });
}

/** The security headers of a response, by lower-case name. */
function securityHeaders(res: Response): Record<string, string | null> {
  return Object.fromEntries(Object.keys(SECURITY_HEADERS).map((k) => [k.toLowerCase(), res.headers.get(k)]));
}

describe('app:// protocol', () => {
  it('mounts the shared handler on the app scheme and passes app://kiosk/ requests through', async () => {
    const handler = vi.fn(async (req: Request) => new Response(`served ${new URL(req.url).pathname}`));
    let mounted: ((req: Request) => Response | Promise<Response>) | undefined;
    serveApp({ handle: (scheme, h) => scheme === 'app' && (mounted = h) }, handler, vi.fn());
    const res = await mounted!(new Request('app://kiosk/api/exhibit'));
    expect(await res.text()).toBe('served /api/exhibit');
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('answers 404 for any other host on the scheme, without calling the handler', async () => {
    const handler = vi.fn(async () => new Response('secret'));
    const wrapped = appProtocolHandler(handler, vi.fn());
    const res = await wrapped(new Request('app://other/index.html'));
    expect(res.status).toBe(404);
    expect(handler).not.toHaveBeenCalled();
    expect(securityHeaders(res)).toEqual(securityHeaders(new Response(null, { headers: SECURITY_HEADERS })));
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

  it('adds the security headers to a response that lacks them, keeping status and body', async () => {
    const wrapped = appProtocolHandler(
      async () => new Response('partial', { status: 206, headers: { 'content-range': 'bytes 0-6/100' } }),
      vi.fn(),
    );
    const res = await wrapped(new Request('app://kiosk/media/a.ogg'));
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe('bytes 0-6/100');
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
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

describe('the same security headers on both hosts', () => {
  let fx: Fixture;
  let source: ContentSource;
  let host: HttpHost;
  beforeEach(async () => {
    fx = await makeFixture();
    source = await createContentSource(fx.contentDir);
  });
  afterEach(async () => {
    await host?.close();
    source.close();
    await fx.cleanup();
  });

  it('app:// and the browser host send the identical CSP and security headers, pages and errors alike', async () => {
    const options = { rendererDir: fx.rendererDir, content: source };
    let mounted: ((req: Request) => Response | Promise<Response>) | undefined;
    serveApp({ handle: (_scheme, h) => (mounted = h) }, createHandler(options), vi.fn());
    host = await startHttpHost({ handler: createHandler(options), port: 0 });

    const appPage = await mounted!(new Request('app://kiosk/'));
    const httpPage = await fetch(host.url);
    expect(await appPage.text()).toContain('<title>Vitrine</title>');
    expect(await httpPage.text()).toContain('<title>Vitrine</title>');
    expect(appPage.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(securityHeaders(appPage)).toEqual(securityHeaders(httpPage));

    // A route's own extra policy (SVG media's sandbox) arrives the same on both, and only once.
    const appSvg = await mounted!(new Request('app://kiosk/media/plates/plate.svg'));
    const httpSvg = await fetch(new URL('media/plates/plate.svg', host.url));
    expect([appSvg.status, httpSvg.status]).toEqual([200, 200]);
    expect(appSvg.headers.get('content-security-policy')).toContain(CONTENT_SECURITY_POLICY);
    expect(appSvg.headers.get('content-security-policy')?.split(', ')).toHaveLength(2);
    expect(securityHeaders(appSvg)).toEqual(securityHeaders(httpSvg));

    // The protocol's own refusal and the host's own refusal, neither from the handler.
    const appRefused = await mounted!(new Request('app://elsewhere/'));
    const httpRefused = await getWithHost(host.url, 'evil.example');
    expect([appRefused.status, httpRefused.status]).toEqual([404, 421]);
    expect(securityHeaders(appRefused)).toEqual(securityHeaders(httpPage));
    expect(securityHeaders(httpRefused)).toEqual(securityHeaders(httpPage));
  });
});
