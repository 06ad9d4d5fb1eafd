/**
 * Nothing of the fleet runs unless configured: a kiosk assembled without
 * `channel` and `metrics` opens no socket and makes no request; the same
 * kiosk with them listens for scrapes and asks the channel.
 */
import { writeFile, mkdir } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { generateSigningKeys } from '../../main/content/signing.js';
import { assembleKiosk, type KioskAssembly } from '../../main/kiosk/assemble.js';
import { cleanup, makeContent, tempDir } from './content-fixtures.js';

const dirs: string[] = [];
const kiosks: KioskAssembly[] = [];
afterEach(async () => {
  for (const k of kiosks.splice(0)) {
    k.close();
    await k.services?.fleet.close();
  }
  vi.restoreAllMocks();
  await cleanup(...dirs.splice(0));
});

async function assemble(config: object | undefined) {
  const work = await tempDir('vitrine-quiet-');
  dirs.push(work);
  const userData = path.join(work, 'user');
  await mkdir(userData, { recursive: true });
  if (config) await writeFile(path.join(userData, 'config.json'), JSON.stringify(config));
  const listen = vi.spyOn(net.Server.prototype, 'listen');
  const requests = [vi.spyOn(http, 'request'), vi.spyOn(https, 'request'), vi.spyOn(globalThis, 'fetch')];
  const connect = vi.spyOn(net, 'connect');
  const kiosk = await assembleKiosk({
    contentDir: await makeContent(path.join(work, 'content')),
    live: {
      userData,
      env: { VITRINE_CONTENT_STORE: path.join(work, 'store') },
      tuning: { pollMs: 0, channelTimeoutMs: 500 },
    },
    log: () => {},
  });
  kiosks.push(kiosk);
  // Give anything started in the background a moment to reach the network.
  await new Promise((r) => setTimeout(r, 300));
  return {
    kiosk,
    listened: listen.mock.calls.length,
    requested: requests.reduce((n, s) => n + s.mock.calls.length, 0) + connect.mock.calls.length,
  };
}

describe('a kiosk without channel and metrics', () => {
  it('opens no socket and makes no request', async () => {
    const { kiosk, listened, requested } = await assemble(undefined);
    expect(listened).toBe(0);
    expect(requested).toBe(0);
    expect(kiosk.services?.fleet.follower).toBeUndefined();
    expect(kiosk.services?.fleet.metrics).toBeUndefined();
    expect(kiosk.services?.fleet.channelStatus(kiosk.services.live.status())).toBeUndefined();
  });

  it('with them, listens for scrapes and asks the channel', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const { kiosk, listened, requested } = await assemble({
      channel: 'http://127.0.0.1:9/all/channel.json',
      publicKeys: [generateSigningKeys().publicKeyPem],
      metrics: { port },
    });
    expect(listened).toBeGreaterThan(0);
    expect(requested).toBeGreaterThan(0);
    expect(kiosk.services?.fleet.metricsServer?.url).toBe(`http://127.0.0.1:${port}/metrics`);
    expect(kiosk.services?.fleet.channelStatus(kiosk.services.live.status())?.url).toBe(
      'http://127.0.0.1:9/all/channel.json',
    );
  });

  it('with a channel but no public key, does not follow and says why', async () => {
    const { kiosk, requested } = await assemble({ channel: 'http://127.0.0.1:9/all/channel.json' });
    expect(requested).toBe(0);
    const status = kiosk.services!.fleet.channelStatus(kiosk.services!.live.status());
    expect(status?.lastCheck).toMatchObject({ ok: false, message: expect.stringMatching(/publicKeys/) });
    expect(kiosk.services!.errors.list(5)[0]?.message).toMatch(/no public key/);
  });
});
