import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createContentSource, type ContentSource } from '../../main/content/source.js';
import { createHandler, type Handler, type HandlerOptions } from '../../main/handler/handler.js';
import { CONTENT_SECURITY_POLICY } from '../../main/handler/headers.js';
import { exhibitYaml, makeFixture, type Fixture } from './handler-fixture.js';

let fx: Fixture;
let source: ContentSource;
let handle: Handler;

async function setup(opts: { renderer?: boolean } = {}, extra: Partial<HandlerOptions> = {}) {
  fx = await makeFixture(opts);
  source = await createContentSource(fx.contentDir, { watch: true, debounceMs: 20 });
  handle = createHandler({ rendererDir: fx.rendererDir, content: source, ...extra });
}

afterEach(async () => {
  source?.close();
  await fx?.cleanup();
});

const get = (p: string, init?: RequestInit) => handle(new Request(`http://127.0.0.1${p}`, init));

function expectSecurityHeaders(res: Response) {
  expect(res.headers.get('Content-Security-Policy')).toBe(CONTENT_SECURITY_POLICY);
  expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
  expect(res.headers.get('Referrer-Policy')).toBe('no-referrer');
}

describe('renderer files', () => {
  beforeEach(() => setup());

  it("serves index.html at / never cached, carrying this start's page key", async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain('<title>Vitrine</title>');
    const key = /<meta name="vitrine-page-key" content="([0-9a-f]{64})">/.exec(html)?.[1];
    expect(key).toBeDefined();
    // Each start (each handler) mints its own.
    const other = createHandler({ rendererDir: fx.rendererDir, content: source });
    expect(await (await other(new Request('http://127.0.0.1/'))).text()).not.toContain(key!);
  });

  it('caches hashed /assets/ files for a year, and revalidates other files', async () => {
    const js = await get('/assets/index-abc123.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
    const css = await get('/assets/index-abc123.css');
    expect(css.headers.get('Content-Type')).toBe('text/css; charset=utf-8');
    const icon = await get('/favicon.svg');
    expect(icon.headers.get('Cache-Control')).toBe('no-cache');
    expect(icon.headers.get('ETag')).toBeTruthy();
  });

  it('answers unknown paths with a short JSON 404', async () => {
    for (const p of ['/nope.html', '/assets/missing-123.js', '/api/nope', '/media/plates/missing.svg']) {
      const res = await get(p);
      expect(res.status, p).toBe(404);
      expect(res.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
      const body = (await res.json()) as { error: string };
      expect(body.error.length).toBeGreaterThan(0);
      expect(body.error.length).toBeLessThan(200);
    }
  });

  it('refuses writes to files', async () => {
    const res = await get('/', { method: 'POST', body: 'x' });
    expect(res.status).toBe(405);
    expect(res.headers.get('Allow')).toBe('GET, HEAD');
  });

  it('refuses a directory', async () => {
    expect((await get('/assets')).status).toBe(404);
    expect((await get('/media/plates')).status).toBe(404);
  });
});

describe('renderer not built', () => {
  beforeEach(() => setup({ renderer: false }));

  it('answers / with a plain 503 page that says to run npm run build', async () => {
    const res = await get('/');
    expect(res.status).toBe(503);
    expect(res.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(await res.text()).toContain('npm run build');
    expectSecurityHeaders(res);
  });

  it('still serves the API and media', async () => {
    expect((await get('/api/exhibit')).status).toBe(200);
    expect((await get('/media/plates/plate.svg')).status).toBe(200);
    expect((await get('/assets/index.js')).status).toBe(404);
  });
});

describe('/api/exhibit', () => {
  it('returns the version and exhibit with the run-time settings overrides applied', async () => {
    await setup(
      {},
      { settings: { idleSeconds: 10, attractSecondsPerSlide: 3, countdownSeconds: undefined } },
    );
    const res = await get('/api/exhibit');
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const body = (await res.json()) as { version: string; exhibit: { settings: Record<string, unknown> } };
    expect(body.version).toBe(source.current()?.version);
    expect(body.exhibit.settings).toMatchObject({
      idleSeconds: 10,
      attractSecondsPerSlide: 3,
      countdownSeconds: 15,
      defaultLanguage: 'en',
    });
    // The loaded snapshot itself is untouched: overrides are per response.
    expect(source.current()?.exhibit.settings.idleSeconds).toBe(90);
  });

  it('returns 503 with the problems when there has never been valid content', async () => {
    fx = await makeFixture();
    await writeFile(path.join(fx.contentDir, 'exhibit.yaml'), 'schemaVersion: 2\n');
    source = await createContentSource(fx.contentDir);
    handle = createHandler({ rendererDir: fx.rendererDir, content: source });
    const res = await get('/api/exhibit');
    expect(res.status).toBe(503);
    expectSecurityHeaders(res);
    const body = (await res.json()) as { problems: { file: string; line: number; field: string }[] };
    expect(body.problems.length).toBeGreaterThan(0);
    expect(body.problems[0]).toMatchObject({ file: 'exhibit.yaml', line: expect.any(Number) });
    const health = (await (await get('/api/health')).json()) as { ok: boolean; version: unknown };
    expect(health).toMatchObject({ ok: false, version: null });
  });

  it('keeps serving the last good version, with the new problems, after a bad edit', async () => {
    await setup();
    const before = source.current()?.version;
    await writeFile(path.join(fx.contentDir, 'exhibit.yaml'), 'chapters: [');
    await source.reload();
    const body = (await (await get('/api/exhibit')).json()) as { version: string; problems: unknown[] };
    expect(body.version).toBe(before);
    expect(body.problems.length).toBeGreaterThan(0);
  });
});

describe('/api/health and /api/log', () => {
  it('reports health with uptime', async () => {
    let t = 1_000_000;
    await setup({}, { now: () => t });
    t += 42_500;
    const body = await (await get('/api/health')).json();
    expect(body).toEqual({ ok: true, version: source.current()?.version, uptimeSeconds: 42 });
  });

  it('hands renderer error reports to the log, and refuses bad or huge ones', async () => {
    const seen: unknown[] = [];
    await setup({}, { onRendererLog: (e) => seen.push(e) });
    const post = (body: string, site = 'same-origin') =>
      get('/api/log', {
        method: 'POST',
        body,
        headers: { 'Content-Type': 'application/json', 'Sec-Fetch-Site': site },
      });
    expect(
      (
        await post(
          JSON.stringify({ message: 'boom', stack: 'at x', level: 'warn', kind: 'error', detail: 'd' }),
        )
      ).status,
    ).toBe(204);
    expect(seen).toEqual([
      { level: 'warn', message: 'boom', stack: 'at x', kind: 'error', detail: 'd', url: undefined },
    ]);
    expect((await post('not json')).status).toBe(400);
    expect((await post('{}')).status).toBe(400);
    expect((await post(JSON.stringify({ message: 'x'.repeat(20_000) }))).status).toBe(413);
    expect(seen).toHaveLength(1);
    // Another site's page in the same browser cannot fill the kiosk's log.
    expect((await post(JSON.stringify({ message: 'spam' }), 'cross-site')).status).toBe(403);
    expect(
      (await get('/api/log', { method: 'POST', body: JSON.stringify({ message: 'spam' }) })).status,
      'a POST with neither Sec-Fetch-Site nor Origin came from no page of ours',
    ).toBe(403);
    expect(seen).toHaveLength(1);
    expect((await get('/api/log')).status).toBe(405);
  });

  it('takes at most 60 reports a minute, answers 429 beyond, and logs the drop once a minute', async () => {
    const seen: { level: string; message: string }[] = [];
    let t = 5_000_000;
    await setup({}, { onRendererLog: (e) => seen.push(e), now: () => t, pageKey: 'k' });
    const post = (n: number, key = 'k') =>
      get('/api/log', {
        method: 'POST',
        body: JSON.stringify({ level: 'error', message: `r${n}`, stack: 's'.repeat(8_000) }),
        headers: {
          'Content-Type': 'application/json',
          'Sec-Fetch-Site': 'same-origin',
          'X-Vitrine-Page-Key': key,
        },
      });
    const statuses: number[] = [];
    for (let n = 0; n < 3000; n++) statuses.push((await post(n)).status);
    expect(statuses.filter((s) => s === 204)).toHaveLength(60);
    expect(statuses.filter((s) => s === 429)).toHaveLength(2940);
    // A flood without the page key does not use up the page's own budget, nor the other way round.
    const keyless = [];
    for (let n = 0; n < 61; n++) keyless.push((await post(5000 + n, 'wrong')).status);
    expect(keyless.filter((s) => s === 204)).toHaveLength(60);
    seen.splice(0, seen.length, ...seen.filter((e) => !/^\(unverified/.test(e.message)));
    const last = await post(3000);
    expect(last.status).toBe(429);
    expect(last.headers.get('Retry-After')).toBe('60');
    const reports = seen.filter((e) => /^r\d+$/.test(e.message));
    const drops = seen.filter((e) => e.message.startsWith('renderer reports dropped'));
    expect(reports).toHaveLength(60);
    expect(drops).toEqual([
      expect.objectContaining({ level: 'warn', message: 'renderer reports dropped: 1' }),
    ]);
    // A minute later reports are taken again, and the rest of the drop is told once.
    t += 61_000;
    expect((await post(4000)).status).toBe(204);
    expect(seen.filter((e) => e.message.startsWith('renderer reports dropped')).at(-1)?.message).toBe(
      'renderer reports dropped: 2941', // 2939 + post 3000 + the 61st keyless one
    );
  });

  it('reserves /api/staff for the staff panel', async () => {
    await setup();
    expect((await get('/api/staff/status')).status).toBe(404);
    source.close();
    await fx.cleanup();
    await setup({}, { staff: (_req, url) => new Response(`staff ${url.pathname}`) });
    expect(await (await get('/api/staff/status')).text()).toBe('staff /api/staff/status');
  });
});

describe('security headers', () => {
  it('are on every response, whatever its status', async () => {
    const errors: unknown[] = [];
    await setup({}, { staff: () => Promise.reject(new Error('broken')), onError: (e) => errors.push(e) });
    const etag = (await get('/favicon.svg')).headers.get('ETag') ?? '';
    const cases: [string, RequestInit | undefined, number][] = [
      ['/', undefined, 200],
      ['/assets/index-abc123.js', undefined, 200],
      ['/media/data.ogg', { headers: { Range: 'bytes=0-9' } }, 206],
      ['/media/data.ogg', { headers: { Range: 'bytes=5000-' } }, 416],
      ['/favicon.svg', { headers: { 'If-None-Match': etag } }, 304],
      ['/api/exhibit', undefined, 200],
      ['/api/health', undefined, 200],
      ['/missing', undefined, 404],
      ['/media/..%2fprivate.txt', undefined, 404],
      ['/api/log', undefined, 405],
      ['/api/staff/x', undefined, 500],
    ];
    for (const [p, init, status] of cases) {
      const res = await get(p, init);
      expect(res.status, p).toBe(status);
      expectSecurityHeaders(res);
    }
    expect(errors).toEqual([new Error('broken')]);
    const ac = new AbortController();
    const sse = await get('/api/events', { signal: ac.signal });
    expectSecurityHeaders(sse);
    ac.abort();
  });
});

describe('/api/events', () => {
  it('sends a content event when the content file changes, and cleans up when the client leaves', async () => {
    await setup();
    let subscribers = 0;
    const counted: ContentSource = {
      ...source,
      subscribe(fn) {
        subscribers++;
        const off = source.subscribe(fn);
        return () => {
          subscribers--;
          off();
        };
      },
    };
    handle = createHandler({ rendererDir: fx.rendererDir, content: counted });
    const ac = new AbortController();
    const res = await get('/api/events', { signal: ac.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('text/event-stream; charset=utf-8');
    expect(subscribers).toBe(1);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${needle}; got ${text}`);
        text += decoder.decode(value);
      }
    };
    await readUntil(': connected');

    await writeFile(path.join(fx.contentDir, 'exhibit.yaml'), exhibitYaml('Changed'));
    await readUntil('event: content');
    await readUntil('}\n\n');
    const version = source.current()?.version;
    expect(source.current()?.exhibit.title.en).toBe('Changed');
    expect(text).toContain(`event: content\ndata: {"version":"${version}"}\n\n`);

    ac.abort();
    expect(subscribers).toBe(0);
    expect((await reader.read()).done).toBe(true);
  });

  it('caps open event streams with 503 and Retry-After, and frees a slot when its client leaves', async () => {
    await setup({}, { maxEventStreams: 4 });
    const clients = Array.from({ length: 4 + 5 }, () => new AbortController());
    const answers = await Promise.all(clients.map((ac) => get('/api/events', { signal: ac.signal })));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 503, 503, 503, 503, 503]);
    expect(answers[4]!.headers.get('Retry-After')).toBe('5');
    // Two leave: one by closing its socket (abort), one by cancelling its body.
    clients[0]!.abort();
    await answers[1]!.body!.cancel();
    const again = [await get('/api/events'), await get('/api/events'), await get('/api/events')];
    expect(again.map((r) => r.status)).toEqual([200, 200, 503]);
    // HEAD takes no slot and leaves nothing running.
    expect((await get('/api/events', { method: 'HEAD' })).status).toBe(200);
    for (const r of [...answers, ...again]) await r.body?.cancel().catch(() => {});
  });

  it('keeps the event stream alive with pings at the set interval, as comments the page ignores', async () => {
    await setup({}, { pingIntervalMs: 10 });
    const ac = new AbortController();
    const res = await get('/api/events', { signal: ac.signal });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const pings = () => text.match(/^: ping\n\n/gm)?.length ?? 0;
    const deadline = Date.now() + 1000;
    // Pings every 10 ms: three arrive well within a second (the default interval would send none).
    while (pings() < 3 && Date.now() < deadline) {
      const chunk = await Promise.race([
        reader.read(),
        new Promise<undefined>((r) => setTimeout(r, deadline - Date.now())),
      ]);
      if (chunk?.value) text += decoder.decode(chunk.value);
    }
    ac.abort();
    expect(pings()).toBeGreaterThanOrEqual(3);
    // A comment line only: EventSource dispatches no event for it, so the page does nothing.
    expect(text).not.toMatch(/^(data|event):/m);
  });
});
