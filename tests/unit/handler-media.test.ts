import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContentSource, type ContentSource } from '../../main/content/source.js';
import { createHandler, type Handler } from '../../main/handler/handler.js';
import { mimeType } from '../../main/handler/mime.js';
import { parseRange } from '../../main/handler/send-file.js';
import { BIN, makeFixture, type Fixture } from './handler-fixture.js';

let fx: Fixture;
let source: ContentSource;
let handle: Handler;

beforeAll(async () => {
  fx = await makeFixture();
  source = await createContentSource(fx.contentDir);
  handle = createHandler({ rendererDir: fx.rendererDir, content: source });
});
afterAll(async () => {
  source.close();
  await fx.cleanup();
});

const get = (p: string, headers: Record<string, string> = {}, method = 'GET') =>
  handle(new Request(`http://127.0.0.1${p}`, { headers, method }));
const bytes = async (res: Response) => Buffer.from(await res.arrayBuffer());

describe('byte ranges', () => {
  it('serves the whole file with its length and Accept-Ranges', async () => {
    const res = await get('/media/data.ogg');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Length')).toBe('1000');
    expect(res.headers.get('Accept-Ranges')).toBe('bytes');
    expect((await bytes(res)).equals(BIN)).toBe(true);
  });

  it.each([
    ['bytes=0-99', 0, 99],
    ['bytes=100-', 100, 999],
    ['bytes=-500', 500, 999],
    ['bytes=-5000', 0, 999],
    ['bytes=990-5000', 990, 999],
    ['bytes=999-999', 999, 999],
  ])('%s -> 206 with bytes %i-%i', async (range, start, end) => {
    const res = await get('/media/data.ogg', { Range: range });
    expect(res.status).toBe(206);
    expect(res.headers.get('Content-Range')).toBe(`bytes ${start}-${end}/1000`);
    expect(res.headers.get('Content-Length')).toBe(String(end - start + 1));
    expect((await bytes(res)).equals(BIN.subarray(start, end + 1))).toBe(true);
  });

  it.each(['bytes=1000-', 'bytes=5000-6000', 'bytes=-0'])('%s -> 416 with bytes */size', async (range) => {
    const res = await get('/media/data.ogg', { Range: range });
    expect(res.status).toBe(416);
    expect(res.headers.get('Content-Range')).toBe('bytes */1000');
    expect((await bytes(res)).length).toBe(0);
  });

  it.each(['bytes=0-1,5-6', 'items=0-5', 'bytes=abc', 'bytes=9-2'])(
    'ignores a range it will not serve (%s) and sends the whole file',
    async (range) => {
      const res = await get('/media/data.ogg', { Range: range });
      expect(res.status).toBe(200);
      expect((await bytes(res)).length).toBe(1000);
    },
  );

  it('answers HEAD with the headers and no body, ranged or not', async () => {
    const whole = await get('/media/data.ogg', {}, 'HEAD');
    expect(whole.status).toBe(200);
    expect(whole.headers.get('Content-Length')).toBe('1000');
    expect(whole.body).toBeNull();
    const part = await get('/media/data.ogg', { Range: 'bytes=-100' }, 'HEAD');
    expect(part.status).toBe(206);
    expect(part.headers.get('Content-Range')).toBe('bytes 900-999/1000');
    expect(part.body).toBeNull();
  });

  it('answers a matching If-None-Match with 304 and no body, and revalidates media', async () => {
    const first = await get('/media/data.ogg');
    const etag = first.headers.get('ETag');
    expect(etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    expect(first.headers.get('Cache-Control')).toBe('no-cache');
    await first.body?.cancel();
    const again = await get('/media/data.ogg', { 'If-None-Match': etag! });
    expect(again.status).toBe(304);
    expect(again.body).toBeNull();
    expect((await get('/media/data.ogg', { 'If-None-Match': '"other"' })).status).toBe(200);
  });

  it('sends the whole file when If-Range names an older version', async () => {
    const res = await get('/media/data.ogg', { Range: 'bytes=0-9', 'If-Range': '"stale"' });
    expect(res.status).toBe(200);
    const etag = res.headers.get('ETag')!;
    expect((await get('/media/data.ogg', { Range: 'bytes=0-9', 'If-Range': etag })).status).toBe(206);
  });

  it('parseRange handles an empty file', () => {
    expect(parseRange('bytes=0-', 0)).toBe('unsatisfiable');
    expect(parseRange('bytes=-1', 0)).toBe('unsatisfiable');
    expect(parseRange(null, 0)).toBeUndefined();
  });
});

describe('MIME types', () => {
  const types: Record<string, string> = {
    svg: 'image/svg+xml',
    webp: 'image/webp',
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    png: 'image/png',
    ogg: 'audio/ogg',
    mp3: 'audio/mpeg',
    vtt: 'text/vtt; charset=utf-8',
  };
  // Kinds a browser runs, renders as a page or reads as data are not media: /media/ does not serve them.
  const refused = ['woff2', 'json', 'js', 'css', 'html', 'xyz'];

  beforeAll(async () => {
    for (const ext of [...Object.keys(types), ...refused])
      await writeFile(path.join(fx.mediaDir, `file.${ext}`), 'x');
    await writeFile(path.join(fx.mediaDir, 'UPPER.PNG'), 'x');
  });

  it.each(Object.entries(types))('.%s is served as %s', async (ext, type) => {
    const res = await get(`/media/file.${ext}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe(type);
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
  });

  it.each(refused)('.%s is not served from /media/', async (ext) => {
    expect((await get(`/media/file.${ext}`)).status).toBe(404);
  });

  it('ignores the case of the extension', async () => {
    expect((await get('/media/UPPER.PNG')).headers.get('Content-Type')).toBe('image/png');
  });
});

describe('mimeType (renderer files)', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['a.js', 'text/javascript; charset=utf-8'],
    ['a.css', 'text/css; charset=utf-8'],
    ['a.woff2', 'font/woff2'],
    ['a.json', 'application/json; charset=utf-8'],
    ['a.xyz', 'application/octet-stream'],
  ])('%s -> %s', (file, type) => {
    expect(mimeType(file)).toBe(type);
  });
});
