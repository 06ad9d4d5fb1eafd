/**
 * A channel's package goes the inbox's way: into the same content store and
 * the same rollout. It waits for the idle reset, is rolled back by itself when
 * the screen cannot draw it, and a rolled-back version is not taken again from
 * the channel, even by a restarted kiosk. The metrics count both.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateSigningKeys, parsePrivateKey } from '../../main/content/signing.js';
import { publishChannel } from '../../main/fleet/publish.js';
import { readKioskConfig } from '../../main/kiosk/config.js';
import { createKioskServices, type KioskServices } from '../../main/kiosk/services.js';
import { cleanup, makeContent, tempDir } from './content-fixtures.js';

const dirs: string[] = [];
const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
  await cleanup(...dirs.splice(0));
});

/** A plain static server over `www`. */
async function staticServer(www: string) {
  const server = http.createServer(async (req, res) => {
    const data = await readFile(path.join(www, decodeURIComponent(req.url ?? ''))).catch(() => undefined);
    if (!data) return res.writeHead(404).end();
    res.writeHead(200, { 'content-length': data.length }).end(data);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise((r) => server.close(r)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('a channel version in the store and the rollout', () => {
  it('waits for the idle reset, rolls back when it cannot be drawn, and is not taken again', async () => {
    const work = await tempDir('vitrine-channel-install-');
    dirs.push(work);
    const keys = generateSigningKeys();
    const www = path.join(work, 'www');
    const v2 = await publishChannel({
      dir: await makeContent(path.join(work, 'v2'), { version: '2' }),
      out: www,
      key: parsePrivateKey(keys.privateKeyPem),
      minKioskVersion: '0.1.0',
    });
    const base = await staticServer(www);
    const userData = path.join(work, 'user');
    await mkdir(userData, { recursive: true });
    await writeFile(
      path.join(userData, 'config.json'),
      JSON.stringify({ publicKeys: [keys.publicKeyPem], metrics: { port: 1, host: '0.0.0.0' } }),
    );
    const start = async () => {
      const s = await createKioskServices({
        contentDir: await makeContent(path.join(work, 'v1'), { version: '1' }),
        store: path.join(work, 'store'),
        seedOnly: false,
        userData,
        config: await readKioskConfig(userData),
        pollMs: 0,
        channelFlag: `${base}/all/channel.json`,
        fleetTuning: { channelPollMs: 3_600_000 },
        env: {},
        log: () => {},
      });
      closers.push(() => s.close());
      return s;
    };
    const channelOf = (s: KioskServices) => s.fleet.channelStatus(s.live.status())!;

    const kiosk = await start();
    const shown = kiosk.live.status().version;
    await kiosk.fleet.follower!.check();
    const status = kiosk.live.status();
    expect(status.version).toBe(v2.channel.version);
    expect(status.history[0]).toMatchObject({
      action: 'apply',
      source: expect.stringMatching(/^channel all http/),
    });
    expect(status.pending).toMatchObject({ version: v2.channel.version, state: 'waiting' });
    expect(channelOf(kiosk).waiting).toMatchObject({ version: v2.channel.version, contentVersion: '2' });

    // The screen fails to draw it: the rollout puts back what was shown.
    kiosk.live.rendererApplying(v2.channel.version);
    expect(await kiosk.live.rendererFailed('chapter view crashed')).toBe(true);
    expect(kiosk.live.status().version).toBe(shown);
    expect(channelOf(kiosk).rolledBack).toMatchObject({ version: v2.channel.version });
    const text = await kiosk.fleet.metrics!.text();
    expect(text).toMatch(/^vitrine_content_applies_total\{result="applied"\} 1$/m);
    expect(text).toMatch(/^vitrine_content_applies_total\{result="rolled-back"\} 1$/m);

    // The next look, and a restarted kiosk, leave the rolled-back version alone.
    await kiosk.fleet.follower!.check();
    expect(kiosk.live.status().version).toBe(shown);
    kiosk.close();
    const again = await start();
    await again.fleet.follower!.check();
    expect(again.live.status().version).toBe(shown);
    expect(channelOf(again).lastCheck).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not installed/),
    });
  });
});
