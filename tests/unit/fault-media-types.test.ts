/**
 * Fault: a content package carries a web page, a script or a data file in its
 * `media/` folder. Served from `/media/`, it would come from the kiosk's own
 * origin and run with the kiosk's rights (a page that calls the staff API, a
 * script an SVG pulls in). The kiosk serves only pictures, sound, video and
 * captions there, and an SVG opened on its own runs in a script-free sandbox.
 */
import { symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContentSource, type ContentSource } from '../../main/content/source.js';
import { createHandler, type Handler } from '../../main/handler/handler.js';
import { CONTENT_SECURITY_POLICY } from '../../main/handler/headers.js';
import { SVG_SANDBOX_POLICY } from '../../main/handler/media.js';
import { makeFixture, type Fixture } from './handler-fixture.js';

let fx: Fixture;
let source: ContentSource;
let handle: Handler;

const EVIL_PAGE = '<!doctype html><script src="/media/evil.js"></script>';
const EVIL_SCRIPT = "fetch('/api/staff/exit', { method: 'POST' })";
const SCRIPTED_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script href="/media/evil.js"/></svg>';

beforeAll(async () => {
  fx = await makeFixture({ renderer: false });
  const m = (name: string) => path.join(fx.mediaDir, name);
  await writeFile(m('evil.html'), EVIL_PAGE);
  await writeFile(m('evil.HTM'), EVIL_PAGE);
  await writeFile(m('evil.js'), EVIL_SCRIPT);
  await writeFile(m('evil.mjs'), EVIL_SCRIPT);
  await writeFile(m('data.json'), '{"secret": true}');
  await writeFile(m('page.xhtml'), EVIL_PAGE);
  await writeFile(m('no-extension'), EVIL_PAGE);
  await writeFile(m('scripted.svg'), SCRIPTED_SVG);
  await writeFile(m('photo.webp'), 'RIFF....WEBPVP8 ');
  await writeFile(m('narration.ogg'), 'OggS');
  await writeFile(m('captions.vtt'), 'WEBVTT\n');
  // A link with a picture's name that leads to a page is judged by what it really is.
  await symlink(m('evil.html'), m('disguised.png'));
  source = await createContentSource(fx.contentDir);
  handle = createHandler({ rendererDir: fx.rendererDir, content: source });
});
afterAll(async () => {
  source.close();
  await fx.cleanup();
});

const get = (p: string, method = 'GET') => handle(new Request(`http://127.0.0.1${p}`, { method }));

describe('/media/ serves only media', () => {
  it.each([
    '/media/evil.html',
    '/media/evil.HTM',
    '/media/evil.js',
    '/media/evil.mjs',
    '/media/data.json',
    '/media/page.xhtml',
    '/media/no-extension',
    '/media/disguised.png',
  ])('%s -> 404, and not a byte of it', async (p) => {
    for (const method of ['GET', 'HEAD']) {
      const res = await get(p, method);
      expect(res.status).toBe(404);
      const text = await res.text();
      expect(text).not.toContain('<script');
      expect(text).not.toContain('fetch(');
      expect(text).not.toContain('secret');
    }
  });

  it.each([
    ['/media/photo.webp', 'image/webp'],
    ['/media/narration.ogg', 'audio/ogg'],
    ['/media/captions.vtt', 'text/vtt; charset=utf-8'],
    ['/media/plates/plate.svg', 'image/svg+xml'],
  ])('%s is served as %s', async (p, type) => {
    const res = await get(p);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe(type);
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    await res.body?.cancel();
  });

  it('serves an SVG under a script-free sandbox on top of the kiosk policy', async () => {
    const res = await get('/media/scripted.svg');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(SCRIPTED_SVG);
    const csp = res.headers.get('Content-Security-Policy') ?? '';
    // Two policies, both enforced: the SVG's own sandbox and the kiosk's.
    const [own, kiosk] = csp.split(', ');
    expect(own).toBe(SVG_SANDBOX_POLICY);
    expect(own?.split(';').map((d) => d.trim())).toContain('sandbox');
    expect(own).not.toMatch(/allow-scripts|script-src/);
    expect(kiosk).toBe(CONTENT_SECURITY_POLICY);
  });

  it('leaves the kiosk policy alone on pictures that are not SVG', async () => {
    const res = await get('/media/photo.webp');
    expect(res.headers.get('Content-Security-Policy')).toBe(CONTENT_SECURITY_POLICY);
    await res.body?.cancel();
  });
});
