import { request as httpRequest } from 'node:http';
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PreviewError, rendererIsStale, startPreview } from '../../main/cli/preview.js';
import { createContentSource, type ContentSource } from '../../main/content/source.js';
import { createHandler } from '../../main/handler/handler.js';
import { CONTENT_SECURITY_POLICY } from '../../main/handler/headers.js';
import { startHttpHost, type HttpHost } from '../../main/hosts/http-host.js';
import { BIN, exhibitYaml, makeFixture, type Fixture } from './handler-fixture.js';

let fx: Fixture;
let source: ContentSource;
let host: HttpHost;
let subscribers = 0;

beforeEach(async () => {
  fx = await makeFixture();
  source = await createContentSource(fx.contentDir);
  // Counts live event-stream subscriptions, to see the host end them when a client leaves.
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
  host = await startHttpHost({
    handler: createHandler({ rendererDir: fx.rendererDir, content: counted }),
    port: 0,
  });
});
afterEach(async () => {
  await host.close();
  source.close();
  await fx.cleanup();
});

/** A raw request: the path goes out exactly as written, unlike fetch, which normalises it. */
function raw(
  rawPath: string,
  opts: { method?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: host.port,
        path: rawPath,
        method: opts.method ?? 'GET',
        headers: opts.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('startHttpHost', () => {
  it('listens on 127.0.0.1 at a random port and serves the handler', async () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/`);
    expect(host.port).toBeGreaterThan(0);
    expect((host.server.address() as { address: string }).address).toBe('127.0.0.1');
    const res = await fetch(host.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await res.text()).toContain('<title>Vitrine</title>');
    const api = (await (await fetch(new URL('api/exhibit', host.url))).json()) as { version: string };
    expect(api.version).toBe(source.current()?.version);
  });

  it('streams a large file back intact, and ranges of it', async () => {
    const big = Buffer.alloc(5 * 1024 * 1024 + 7);
    for (let i = 0; i < big.length; i += 4096) big[i] = (i / 4096) % 256;
    await writeFile(path.join(fx.mediaDir, 'big.ogg'), big);
    const whole = await fetch(new URL('media/big.ogg', host.url));
    expect(whole.headers.get('content-type')).toBe('audio/ogg');
    expect(Buffer.from(await whole.arrayBuffer()).equals(big)).toBe(true);
    const part = await fetch(new URL('media/data.ogg', host.url), { headers: { Range: 'bytes=-10' } });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(BIN.subarray(990))).toBe(true);
  });

  it('answers HEAD with headers only', async () => {
    const res = await raw('/media/data.ogg', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe('1000');
    expect(res.body.length).toBe(0);
  });

  it.each([
    '/media/../../secret.txt',
    '/media/..%2f..%2fsecret.txt',
    '/../secret.txt',
    '/media/%2e%2e/%2e%2e/secret.txt',
  ])('never serves %s, sent raw', async (p) => {
    const res = await raw(p);
    expect(res.status).toBe(404);
    expect(res.body.toString()).not.toContain('TOP SECRET');
  });

  it('refuses a foreign Host header (DNS rebinding) and absolute-form targets', async () => {
    expect((await raw('/api/exhibit', { headers: { Host: 'evil.example:80' } })).status).toBe(421);
    expect((await raw('/', { headers: { Host: `localhost:${host.port}` } })).status).toBe(200);
    expect((await raw('http://evil.example/api/exhibit')).status).toBe(400);
  });

  it('passes POST bodies through', async () => {
    const res = await fetch(new URL('api/log', host.url), {
      method: 'POST',
      headers: { Origin: new URL(host.url).origin },
      body: JSON.stringify({ message: 'hello from the test', level: 'info' }),
    });
    expect(res.status).toBe(204);
  });

  it('delivers content events over HTTP and ends the subscription when the client disconnects', async () => {
    const ac = new AbortController();
    const res = await fetch(new URL('api/events', host.url), { signal: ac.signal });
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = res.body!.getReader();
    let text = '';
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) text += new TextDecoder().decode((await reader.read()).value);
    };
    await readUntil(': connected');
    expect(subscribers).toBe(1);
    await writeFile(path.join(fx.contentDir, 'exhibit.yaml'), exhibitYaml('Over the wire'));
    await source.reload();
    await readUntil('}\n\n');
    expect(text).toContain(`event: content\ndata: {"version":"${source.current()?.version}"}`);
    ac.abort();
    await expect.poll(() => subscribers).toBe(0);
  });

  it('rejects with EADDRINUSE when the port is taken', async () => {
    await expect(
      startHttpHost({ handler: async () => new Response('x'), port: host.port }),
    ).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });

  it('closes even with an event stream open', async () => {
    const res = await fetch(new URL('api/events', host.url));
    const reader = res.body!.getReader();
    await reader.read();
    await host.close();
    await expect(fetch(host.url)).rejects.toThrow();
    await expect.poll(() => subscribers).toBe(0);
  });
});

describe('startPreview', () => {
  it('serves a content folder on a random port, prints the URL once, and closes', async () => {
    const lines: string[] = [];
    const preview = await startPreview({
      contentDir: fx.contentDir,
      rendererDir: fx.rendererDir,
      idleSeconds: 10,
      log: (l) => lines.push(l),
    });
    try {
      expect(preview.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(lines).toEqual([`Vitrine preview: ${preview.url}`]);
      const body = (await (await fetch(new URL('api/exhibit', preview.url))).json()) as {
        exhibit: { settings: { idleSeconds: number } };
      };
      expect(body.exhibit.settings.idleSeconds).toBe(10);
    } finally {
      await preview.close();
    }
    await expect(fetch(preview.url)).rejects.toThrow();
  });

  it('lists the content problems when the folder is invalid, and still serves', async () => {
    await writeFile(path.join(fx.contentDir, 'exhibit.yaml'), 'schemaVersion: 1\nid: Bad Id\n');
    const lines: string[] = [];
    const preview = await startPreview({
      contentDir: fx.contentDir,
      rendererDir: fx.rendererDir,
      log: (l) => lines.push(l),
    });
    try {
      expect(lines[0]).toMatch(/has \d+ problem\(s\)/);
      expect(lines.some((l) => l.includes('exhibit.yaml:2:'))).toBe(true);
      expect((await fetch(new URL('api/exhibit', preview.url))).status).toBe(503);
    } finally {
      await preview.close();
    }
  });

  it('fails with one clear line when the port is taken', async () => {
    const err = await startPreview({ port: host.port, contentDir: fx.contentDir, quiet: true }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PreviewError);
    expect((err as Error).message).toBe(
      `Port ${host.port} is already in use; choose another with --port N (or --port 0 for any free port).`,
    );
  });

  it('refuses a content folder that does not exist, in one line', async () => {
    const missing = path.join(fx.root, 'no-such-folder');
    await expect(startPreview({ contentDir: missing, quiet: true })).rejects.toThrow(
      new PreviewError(`No content folder at ${missing}; give --content DIR, a folder holding exhibit.yaml.`),
    );
  });

  it('treats the renderer as stale when index.html is missing or older than src/', async () => {
    const root = path.join(fx.root, 'repo');
    const dist = path.join(root, 'dist', 'renderer');
    await mkdir(path.join(root, 'src', 'lib'), { recursive: true });
    await mkdir(dist, { recursive: true });
    await writeFile(path.join(root, 'src', 'lib', 'a.ts'), '');
    expect(await rendererIsStale(root, dist)).toBe(true);
    await writeFile(path.join(dist, 'index.html'), '');
    const past = new Date(Date.now() - 60_000);
    await utimes(path.join(root, 'src', 'lib', 'a.ts'), past, past);
    expect(await rendererIsStale(root, dist)).toBe(false);
    const future = new Date(Date.now() + 60_000);
    await utimes(path.join(root, 'src', 'lib', 'a.ts'), future, future);
    expect(await rendererIsStale(root, dist)).toBe(true);
    await utimes(path.join(root, 'src', 'lib', 'a.ts'), past, past);

    // Bundled assets count; the live exhibit does not.
    await mkdir(path.join(root, 'assets', 'exhibit'), { recursive: true });
    await mkdir(path.join(root, 'assets', 'sounds'), { recursive: true });
    await writeFile(path.join(root, 'assets', 'exhibit', 'exhibit.yaml'), '');
    await writeFile(path.join(root, 'assets', 'sounds', 'tap.ogg'), '');
    await utimes(path.join(root, 'assets', 'sounds', 'tap.ogg'), past, past);
    await utimes(path.join(root, 'assets', 'exhibit', 'exhibit.yaml'), future, future);
    expect(await rendererIsStale(root, dist)).toBe(false);
    await utimes(path.join(root, 'assets', 'sounds', 'tap.ogg'), future, future);
    expect(await rendererIsStale(root, dist)).toBe(true);
  });
});
