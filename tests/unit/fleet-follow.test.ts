/**
 * A kiosk following a channel, against a real local web server that
 * misbehaves on cue: it installs a new version once, asks with If-None-Match
 * after that, resumes a cut download with Range, and installs nothing from a
 * server that is down, slow, answers garbage, or offers a package with a
 * wrong hash or signature, each time saying why and backing off.
 */
import { createHash, type KeyObject } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateSigningKeys, parsePrivateKey, parsePublicKey } from '../../main/content/signing.js';
import { signChannel, type ChannelFile } from '../../main/fleet/channel.js';
import { createChannelFollower, nextDelay, type FollowClock } from '../../main/fleet/follow.js';
import { createHttpGet } from '../../main/fleet/http-get.js';
import { publishChannel } from '../../main/fleet/publish.js';
import { cleanup, makeContent, tempDir } from './content-fixtures.js';

type Mode = 'ok' | 'garbage' | 'error' | 'slow' | 'cut';

interface Server {
  base: string;
  mode: Mode;
  requests: { path: string; headers: http.IncomingHttpHeaders; status?: number }[];
  close(): Promise<void>;
}

/** A static server over `www` with ETag and Range, that misbehaves as `mode` says. */
async function serve(www: string): Promise<Server> {
  const state: Server = { base: '', mode: 'ok', requests: [], close: async () => {} };
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer(async (req, res) => {
    const entry: Server['requests'][number] = { path: req.url ?? '', headers: req.headers };
    state.requests.push(entry);
    const send = (status: number, headers: http.OutgoingHttpHeaders = {}, body?: Buffer | string) => {
      entry.status = status;
      res.writeHead(status, headers).end(body);
    };
    if (state.mode === 'slow') return; // never answers
    if (state.mode === 'error') return send(503, {}, 'down for maintenance');
    const data = await readFile(path.join(www, decodeURIComponent(req.url ?? ''))).catch(() => undefined);
    if (!data) return send(404);
    if (state.mode === 'garbage' && req.url?.endsWith('channel.json'))
      return send(200, {}, '<html>Oops</html>');
    const etag = `"${createHash('sha1').update(data).digest('hex')}"`;
    if (req.headers['if-none-match'] === etag) return send(304, { etag });
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    const body = data.subarray(start);
    const headers = {
      etag,
      'content-length': body.length,
      ...(range ? { 'content-range': `bytes ${start}-${data.length - 1}/${data.length}` } : {}),
    };
    entry.status = range ? 206 : 200;
    res.writeHead(entry.status, headers);
    if (state.mode === 'cut' && req.url?.endsWith('.zip')) {
      // Half the package, then the connection drops.
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
      return;
    }
    res.end(body);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    });
  return state;
}

/** A clock whose timers only run when the test says. */
function manualClock(): FollowClock & { waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    now: () => Date.now(),
    setTimeout: (_fn, ms) => (waits.push(ms), ms),
    clearTimeout: () => {},
  };
}

const dirs: string[] = [];
const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
  await cleanup(...dirs.splice(0));
});

async function setup() {
  const work = await tempDir('vitrine-follow-');
  dirs.push(work);
  const keys = generateSigningKeys();
  const key = parsePrivateKey(keys.privateKeyPem);
  const pub = parsePublicKey(keys.publicKeyPem);
  const www = `${work}/www`;
  const published = await publishChannel({
    dir: await makeContent(`${work}/content`, { version: '2' }),
    out: www,
    key,
    minKioskVersion: '0.1.0',
  });
  const server = await serve(www);
  closers.push(() => server.close());
  const installs: { file: string; sha256: string; channel: ChannelFile }[] = [];
  const errors: string[] = [];
  const clock = manualClock();
  const follow = (over: Partial<Parameters<typeof createChannelFollower>[0]> = {}) => {
    const f = createChannelFollower({
      url: `${server.base}/all/channel.json`,
      downloads: `${work}/store/downloads`,
      publicKeys: [pub],
      kioskVersion: '0.1.0',
      currentVersion: () => undefined,
      install: async (file, channel) => {
        installs.push({
          file,
          sha256: createHash('sha256')
            .update(await readFile(file))
            .digest('hex'),
          channel,
        });
        return { version: channel.version, changed: true };
      },
      get: createHttpGet({ env: {} }),
      timeoutMs: 400,
      clock,
      random: () => 0.5,
      onError: (m) => errors.push(m),
      ...over,
    });
    closers.push(() => f.close());
    return f;
  };
  return { work, www, key, pub, published, server, installs, errors, clock, follow };
}

/** Rewrites the published channel.json (re-signed with `key`, or left with its old signature). */
async function rewriteChannel(www: string, change: Partial<ChannelFile>, key?: KeyObject) {
  const file = path.join(www, 'all', 'channel.json');
  const c = { ...(JSON.parse(await readFile(file, 'utf8')) as ChannelFile), ...change };
  if (key) c.signature = signChannel(c, key);
  await writeFile(file, JSON.stringify(c));
}

describe('following a channel', () => {
  it('installs a new version once, checked, and then asks with If-None-Match', async () => {
    const t = await setup();
    const f = t.follow();
    await f.check();
    expect(t.installs).toHaveLength(1);
    expect(t.installs[0]!.sha256).toBe(t.published.channel.sha256);
    expect(f.status()).toMatchObject({
      name: 'all',
      errors: 0,
      lastCheck: { ok: true },
      installed: { version: t.published.channel.version, contentVersion: '2' },
    });
    await f.check();
    const last = t.server.requests.at(-1)!;
    expect(last.headers['if-none-match']).toBeTruthy();
    expect(last.status).toBe(304);
    expect(t.installs).toHaveLength(1);
    expect(f.status().lastCheck).toMatchObject({ ok: true, message: 'unchanged' });
    // Nothing is left behind in the downloads folder once installed.
    expect(await readdir(`${t.work}/store/downloads`)).toEqual([]);
  });

  it('downloads nothing when the kiosk already shows the channel version', async () => {
    const t = await setup();
    const f = t.follow({ currentVersion: () => t.published.channel.version });
    await f.check();
    expect(t.installs).toHaveLength(0);
    expect(t.server.requests.some((r) => r.path.endsWith('.zip'))).toBe(false);
    expect(f.status().lastCheck?.message).toMatch(/already showing 2/);
  });

  it('resumes a cut download where it stopped, with a Range request', async () => {
    const t = await setup();
    t.server.mode = 'cut';
    const f = t.follow();
    await f.check();
    expect(t.installs).toHaveLength(0);
    expect(f.status().lastCheck).toMatchObject({
      ok: false,
      message: expect.stringMatching(/stopped at \d+ of/),
    });
    const partial = (await readdir(`${t.work}/store/downloads`)).find((n) => n.endsWith('.part'));
    expect(partial).toBeTruthy();
    t.server.mode = 'ok';
    await f.check();
    const resumed = t.server.requests.filter((r) => r.path.endsWith('.zip')).at(-1)!;
    expect(resumed.headers.range).toMatch(/^bytes=[1-9]\d*-$/);
    expect(resumed.status).toBe(206);
    expect(t.installs).toHaveLength(1);
    expect(t.installs[0]!.sha256).toBe(t.published.channel.sha256);
  });

  it.each([
    ['garbage', /channel\.json is not JSON/],
    ['error', /answered 503/],
    ['slow', /no answer from .* in 400 ms/],
  ] as const)('a server answering %s changes nothing and is reported, then backs off', async (mode, why) => {
    const t = await setup();
    t.server.mode = mode;
    const f = t.follow({ errorMs: 1000 });
    await f.check();
    await f.check();
    expect(t.installs).toHaveLength(0);
    expect(f.status()).toMatchObject({
      errors: 2,
      lastCheck: { ok: false, message: expect.stringMatching(why) },
    });
    expect(t.errors).toHaveLength(2);
    // The wait after each failure doubles (random 0.5 → three quarters of the full wait).
    expect(t.clock.waits.slice(-2)).toEqual([750, 1500]);
    t.server.mode = 'ok';
    await f.check();
    expect(t.installs).toHaveLength(1);
  });

  it('a server that is gone is reported as unreachable', async () => {
    const t = await setup();
    await t.server.close();
    const f = t.follow();
    await f.check();
    expect(f.status().lastCheck).toMatchObject({
      ok: false,
      message: expect.stringMatching(/cannot reach the channel/),
    });
  });

  it('refuses a package whose SHA-256 is not the one channel.json names, and deletes it', async () => {
    const t = await setup();
    await rewriteChannel(t.www, { sha256: 'a'.repeat(64) }, t.key);
    const f = t.follow();
    await f.check();
    expect(t.installs).toHaveLength(0);
    expect(f.status().lastCheck?.message).toMatch(/does not match the SHA-256/);
    expect(await readdir(`${t.work}/store/downloads`)).toEqual([]);
  });

  it('refuses a channel signed by a key the kiosk does not trust, before downloading anything', async () => {
    const t = await setup();
    await rewriteChannel(t.www, {}, parsePrivateKey(generateSigningKeys().privateKeyPem));
    const f = t.follow();
    await f.check();
    expect(t.installs).toHaveLength(0);
    expect(f.status().lastCheck?.message).toMatch(/not signed by a key this kiosk trusts/);
    expect(t.server.requests.some((r) => r.path.endsWith('.zip'))).toBe(false);
  });

  it('refuses a package signed by another key even when channel.json is re-signed for it', async () => {
    const t = await setup();
    const other = parsePrivateKey(generateSigningKeys().privateKeyPem);
    // A second publisher's package, described by a channel.json signed with the museum's key.
    const rogue = await publishChannel({
      dir: await makeContent(`${t.work}/rogue`, { version: '9' }),
      out: `${t.work}/rogue-www`,
      key: other,
      minKioskVersion: '0.1.0',
    });
    await writeFile(path.join(t.www, 'all', rogue.channel.package), await readFile(rogue.packageFile));
    const { signature: _, ...fields } = rogue.channel;
    await rewriteChannel(t.www, fields, t.key);
    const f = t.follow();
    await f.check();
    expect(t.installs).toHaveLength(0);
    expect(f.status().lastCheck?.message).toMatch(/refused: signed by .* does not trust/);
  });

  it('leaves a version for newer kiosk software alone', async () => {
    const t = await setup();
    await rewriteChannel(t.www, { minKioskVersion: '9.0' }, t.key);
    const f = t.follow();
    await f.check();
    expect(t.installs).toHaveLength(0);
    expect(f.status().lastCheck?.message).toMatch(/needs kiosk software 9\.0 or newer/);
  });
});

describe('when to look next', () => {
  const timing = { pollMs: 300_000, jitter: 0.2, errorMs: 30_000, maxBackoffMs: 3_600_000 };
  it('waits the poll time give or take the jitter while all is well', () => {
    expect(nextDelay(0, timing, () => 0)).toBe(240_000);
    expect(nextDelay(0, timing, () => 0.999999)).toBe(360_000);
    expect(nextDelay(0, timing, () => 0.5)).toBe(300_000);
  });
  it('doubles the wait after each failure, up to the cap, spread over its second half', () => {
    expect([1, 2, 3, 4].map((n) => nextDelay(n, timing, () => 0.999999))).toEqual([
      30_000, 60_000, 120_000, 240_000,
    ]);
    expect(nextDelay(1, timing, () => 0)).toBe(15_000);
    expect(nextDelay(20, timing, () => 0.5)).toBe(2_700_000);
  });
});
