/**
 * `content publish`: one command builds, checks, packs and signs a content
 * folder into a channel folder a web server can serve as it is, with a
 * `channel.json` that names the package by size, SHA-256 and signature.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runContentCli } from '../../main/kiosk/content-cli.js';
import {
  generateSigningKeys,
  parsePrivateKey,
  parsePublicKey,
  verifyPackage,
} from '../../main/content/signing.js';
import { channelSignedBy, ChannelFile, parseChannel } from '../../main/fleet/channel.js';
import { publishChannel } from '../../main/fleet/publish.js';
import { cleanup, makeContent, tempDir } from './content-fixtures.js';

const dirs: string[] = [];
afterEach(() => cleanup(...dirs.splice(0)));

async function setup() {
  const work = await tempDir('vitrine-publish-');
  dirs.push(work);
  const keys = generateSigningKeys();
  await writeFile(path.join(work, 'museum.key'), keys.privateKeyPem);
  const content = await makeContent(path.join(work, 'content'), { version: '3' });
  return { work, keys, content, out: path.join(work, 'www') };
}

function quiet() {
  const lines: string[] = [];
  return { lines, out: { log: (l: string) => lines.push(l), err: (l: string) => lines.push(l) } };
}

describe('content publish', () => {
  it('writes the signed package and a channel.json that describes it exactly, in OUT/all/ by default', async () => {
    const { work, keys, content, out } = await setup();
    const q = quiet();
    const code = await runContentCli(
      ['publish', content, '--to', out, '--key', path.join(work, 'museum.key')],
      q.out,
    );
    expect(code, q.lines.join('\n')).toBe(0);
    const folder = path.join(out, 'all');
    const names = await readdir(folder);
    // Only the package and the description: no temp file a web server could hand out.
    expect(names.sort()).toEqual(['channel.json', expect.stringMatching(/^test-exhibit-.+\.vitrine\.zip$/)]);
    const parsed = parseChannel(await readFile(path.join(folder, 'channel.json'), 'utf8'));
    if (!parsed.ok) throw new Error(parsed.reason);
    const c = parsed.channel;
    expect(c).toMatchObject({
      channel: 'all',
      exhibitId: 'test-exhibit',
      contentVersion: '3',
      minKioskVersion: '0.1.0',
    });
    const pkg = await readFile(path.join(folder, c.package));
    expect(c.size).toBe(pkg.length);
    expect(c.sha256).toBe(createHash('sha256').update(pkg).digest('hex'));
    const pub = parsePublicKey(keys.publicKeyPem);
    expect(channelSignedBy(c, [pub])).toBe(true);
    expect(await verifyPackage(path.join(folder, c.package), [pub])).toMatchObject({ status: 'ok' });
    expect(q.lines.join('\n')).toContain('on the channel "all"');
  });

  it('publishes to a named channel and a tampered channel.json no longer verifies', async () => {
    const { keys, content, out } = await setup();
    const result = await publishChannel({
      dir: content,
      out,
      channel: 'pilot',
      key: parsePrivateKey(keys.privateKeyPem),
      minKioskVersion: '0.1.0',
    });
    expect(path.dirname(result.channelFile)).toBe(path.join(out, 'pilot'));
    const pub = parsePublicKey(keys.publicKeyPem);
    const tampered: ChannelFile = { ...result.channel, sha256: 'f'.repeat(64) };
    expect(channelSignedBy(tampered, [pub])).toBe(false);
    const otherKey = parsePublicKey(generateSigningKeys().publicKeyPem);
    expect(channelSignedBy(result.channel, [otherKey])).toBe(false);
  });

  it('publishes nothing from invalid content, and keeps the last good channel.json', async () => {
    const { work, content, out } = await setup();
    const key = path.join(work, 'museum.key');
    expect(await runContentCli(['publish', content, '--to', out, '--key', key], quiet().out)).toBe(0);
    const before = await readFile(path.join(out, 'all', 'channel.json'), 'utf8');
    await writeFile(path.join(content, 'exhibit.yaml'), 'id: [broken');
    const q = quiet();
    expect(await runContentCli(['publish', content, '--to', out, '--key', key], q.out)).toBe(1);
    expect(await readFile(path.join(out, 'all', 'channel.json'), 'utf8')).toBe(before);
  });

  it('asks for --to and --key, and refuses a channel name that is not a folder name', async () => {
    const { work, content, out } = await setup();
    const q = quiet();
    expect(await runContentCli(['publish', content, '--to', out], q.out)).toBe(2);
    expect(q.lines.join('\n')).toMatch(/--key FILE/);
    expect(
      await runContentCli(
        ['publish', content, '--to', out, '--key', path.join(work, 'museum.key'), '--channel', '../etc'],
        q.out,
      ),
    ).toBe(2);
    expect(q.lines.join('\n')).toMatch(/cannot be a channel name/);
  });
});
