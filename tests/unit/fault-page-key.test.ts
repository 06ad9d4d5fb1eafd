/**
 * Forged reports about drawing a new version. The page's `rendered`,
 * `applying` and error reports need no PIN (the page sends them), so the host
 * writes a per-start page key into the `index.html` it serves and takes these
 * reports only with it: a client that never loaded the page can neither roll
 * a good new version back nor confirm a bad one.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assembleKiosk, type KioskAssembly } from '../../main/kiosk/assemble.js';
import { cleanup, exhibitYaml, makeContent, tempDir } from './content-fixtures.js';

let work: string;
let kiosk: KioskAssembly & Required<Pick<KioskAssembly, 'services'>>;
let key: string;

const send = (p: string, body: unknown, withKey: boolean) =>
  kiosk.handler(
    new Request(`http://127.0.0.1${p}`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: {
        'content-type': 'application/json',
        'sec-fetch-site': 'same-origin',
        ...(withKey ? { 'x-vitrine-page-key': key } : {}),
      },
    }),
  );

beforeEach(async () => {
  work = await tempDir('vitrine-page-key-');
  const content = await makeContent(path.join(work, 'content'));
  const renderer = path.join(work, 'renderer');
  await mkdir(renderer);
  await writeFile(
    path.join(renderer, 'index.html'),
    '<!doctype html><html><head><title>V</title></head></html>',
  );
  kiosk = await assembleKiosk({
    contentDir: content,
    rendererDir: renderer,
    live: {
      userData: path.join(work, 'user'),
      env: {},
      seedOnly: false,
      tuning: { pollMs: 0, stableMs: 0 },
    },
    log: () => {},
  });
  const page = await (await kiosk.handler(new Request('http://127.0.0.1/'))).text();
  key = /<meta name="vitrine-page-key" content="([0-9a-f]{64})">/.exec(page)?.[1] ?? '';
  expect(key).not.toBe('');
  // A second version arrives and waits for the next idle reset.
  const live = kiosk.services.live;
  live.rendererRendered(live.source.current()!.version);
  await writeFile(path.join(content, 'exhibit.yaml'), exhibitYaml({ version: '2' }));
  await live.poll();
  await live.poll();
  expect(live.status().pending?.state).toBe('waiting');
});
afterEach(async () => {
  // Lets the store finish writing a confirmation (it runs in the store's queue) before the folder goes.
  await kiosk.services.live.poll();
  kiosk.close();
  await cleanup(work);
});

describe('reports about drawing a new version', () => {
  it('without the page key: neither roll it back nor confirm it; the error is still logged, marked', async () => {
    const live = kiosk.services.live;
    const v2 = live.status().version!;
    expect((await send('/api/staff/applying', { version: v2 }, false)).status).toBe(403);
    expect(live.status().pending?.state).toBe('waiting');
    expect((await send('/api/log', { level: 'error', message: 'forged crash' }, false)).status).toBe(204);
    expect(live.source.current()?.version).toBe(v2);
    expect((await send('/api/staff/rendered', { version: v2 }, false)).status).toBe(403);
    expect(live.status().confirmed).toBe(false);
    expect(kiosk.services.errors.list().map((e) => e.message)).toContainEqual(
      expect.stringMatching(/unverified.*forged crash/),
    );
  });

  it('with the page key, as the page sends them: an error while applying rolls back, as before', async () => {
    const live = kiosk.services.live;
    const v2 = live.status().version!;
    const v1 = live.status().previous;
    expect((await send('/api/staff/applying', { version: v2 }, true)).status).toBe(204);
    expect(live.status().pending?.state).toBe('applying');
    expect((await send('/api/log', { level: 'error', message: 'real crash' }, true)).status).toBe(204);
    await expect.poll(() => live.source.current()?.version).toBe(v1);
  });

  it('with the page key, rendered confirms the new version', async () => {
    const live = kiosk.services.live;
    const v2 = live.status().version!;
    expect((await send('/api/staff/applying', { version: v2 }, true)).status).toBe(204);
    expect((await send('/api/staff/rendered', { version: v2 }, true)).status).toBe(204);
    expect(live.status()).toMatchObject({ version: v2, confirmed: true });
  });
});
