/**
 * Signed content: a package is trusted only when its manifest carries a good
 * Ed25519 signature from a key the kiosk holds, and every file matches that
 * signed manifest. Faults: an unsigned package, a manifest edited after
 * signing, a file swapped after signing, a package signed by another key.
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { runContentCli } from '../../main/kiosk/content-cli.js';
import { ContentError } from '../../main/content/errors.js';
import { packContent } from '../../main/content/pack.js';
import { applyContent } from '../../main/content/store.js';
import {
  checkManifestSignature,
  generateSigningKeys,
  KEY_FILES,
  keyId,
  parsePrivateKey,
  parsePublicKey,
  requireSignature,
  verifyPackage,
  writeKeyPair,
} from '../../main/content/signing.js';
import { extractPackage } from '../../main/content/zip-extract.js';
import { captureOut, cleanup, makeContent, tempDir } from './content-fixtures.js';

let work: string;
let content: string;
beforeEach(async () => {
  work = await tempDir();
  content = await makeContent(path.join(work, 'content'));
});
afterEach(() => cleanup(work));

const keys = () => {
  const k = generateSigningKeys();
  return { priv: parsePrivateKey(k.privateKeyPem), pub: parsePublicKey(k.publicKeyPem), id: k.keyId };
};

/** Every entry of a zip, by name. */
async function readZip(file: string): Promise<Map<string, Buffer>> {
  const zip = await new Promise<yauzl.ZipFile>((res, rej) =>
    yauzl.open(file, { lazyEntries: true }, (e, z) => (e || !z ? rej(e) : res(z))),
  );
  const out = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      zip.openReadStream(entry, async (err, s) => {
        if (err || !s) return reject(err);
        const chunks: Buffer[] = [];
        for await (const c of s) chunks.push(c as Buffer);
        out.set(entry.fileName, Buffer.concat(chunks));
        zip.readEntry();
      });
    });
    zip.on('end', () => resolve());
    zip.on('error', reject);
    zip.readEntry();
  });
  zip.close();
  return out;
}

async function writeZip(file: string, entries: Map<string, Buffer>): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const [name, data] of entries) zip.addBuffer(data, name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream as AsyncIterable<Buffer>) chunks.push(c);
  await writeFile(file, Buffer.concat(chunks));
}

/** A copy of `file` with `change` applied to its entries. */
async function tampered(file: string, name: string, change: (e: Map<string, Buffer>) => void) {
  const entries = await readZip(file);
  change(entries);
  const out = path.join(work, name);
  await writeZip(out, entries);
  return out;
}

describe('verifyPackage', () => {
  it('accepts a package signed by a trusted key, naming the key', async () => {
    const k = keys();
    const pkg = await packContent(content, path.join(work, 'signed.zip'), undefined, undefined, {
      signWith: k.priv,
    });
    expect(pkg.signedBy).toBe(k.id);
    expect(await verifyPackage(pkg.file, [keys().pub, k.pub])).toEqual({ status: 'ok', keyId: k.id });
  });

  it('calls a package without a signature unsigned', async () => {
    const pkg = await packContent(content, path.join(work, 'plain.zip'));
    const check = await verifyPackage(pkg.file, [keys().pub]);
    expect(check.status).toBe('unsigned');
    expect(check).toHaveProperty(
      'reason',
      expect.stringMatching(/^the package is not signed: pack it again with your key .*--key.*section 13\)$/),
    );
  });

  it('refuses a manifest changed after signing', async () => {
    const k = keys();
    const pkg = await packContent(content, path.join(work, 'signed.zip'), undefined, undefined, {
      signWith: k.priv,
    });
    const bad = await tampered(pkg.file, 'edited.zip', (e) => {
      const m = JSON.parse(e.get('manifest.json')!.toString());
      m.contentVersion = '99';
      e.set('manifest.json', Buffer.from(JSON.stringify(m, null, 2) + '\n'));
    });
    expect(await verifyPackage(bad, [k.pub])).toEqual({
      status: 'bad-signature',
      reason: `the manifest was changed after it was signed by ${k.id}`,
    });
  });

  it('refuses a file swapped after signing, though manifest and signature are intact', async () => {
    const k = keys();
    const pkg = await packContent(content, path.join(work, 'signed.zip'), undefined, undefined, {
      signWith: k.priv,
    });
    const bad = await tampered(pkg.file, 'swapped.zip', (e) => {
      const yaml = e.get('exhibit.yaml')!;
      // Same length, different bytes: only the hash can tell.
      e.set('exhibit.yaml', Buffer.from(yaml.toString().replace('Test', 'Fake')));
    });
    expect(await verifyPackage(bad, [k.pub])).toEqual({
      status: 'bad-signature',
      reason: '"exhibit.yaml" does not match the signed manifest (changed after signing)',
    });
  });

  it('refuses a package signed by a key the kiosk does not hold', async () => {
    const theirs = keys();
    const ours = keys();
    const pkg = await packContent(content, path.join(work, 'other.zip'), undefined, undefined, {
      signWith: theirs.priv,
    });
    const check = await verifyPackage(pkg.file, [ours.pub]);
    expect(check.status).toBe('bad-signature');
    expect(check).toHaveProperty(
      'reason',
      expect.stringContaining(`signed by ${theirs.id}, which this kiosk does not trust`),
    );
  });

  it('checkManifestSignature is pure and reads the signature file defensively', () => {
    const k = keys();
    const bytes = Buffer.from('{"a":1}\n');
    expect(checkManifestSignature(bytes, Buffer.from('not json'), [k.pub]).status).toBe('bad-signature');
    expect(checkManifestSignature(bytes, Buffer.from('{"format":"x"}'), [k.pub]).status).toBe(
      'bad-signature',
    );
    expect(checkManifestSignature(bytes, undefined, [k.pub]).status).toBe('unsigned');
  });
});

describe('a kiosk holding public keys installs only signed packages', () => {
  it('refuses an unsigned package before unpacking anything, and unpacks a signed one', async () => {
    const k = keys();
    const check = requireSignature([k.pub]);
    const plain = await packContent(content, path.join(work, 'plain.zip'));
    const dest = path.join(work, 'dest');
    await mkdir(dest);
    const err = await extractPackage(plain.file, dest, { checkManifest: check }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContentError);
    expect((err as ContentError).exitCode).toBe(1);
    expect((err as Error).message).toMatch(
      /this kiosk installs only signed packages, and the package is not signed: pack it again with your key/,
    );
    expect(await readdir(dest)).toEqual([]);

    const signed = await packContent(content, path.join(work, 'signed.zip'), undefined, undefined, {
      signWith: k.priv,
    });
    const files = await extractPackage(signed.file, dest, { checkManifest: check });
    expect(files.map((f) => f.name)).not.toContain('manifest.sig');
    expect(await readFile(path.join(dest, 'exhibit.yaml'))).toEqual(
      await readFile(path.join(content, 'exhibit.yaml')),
    );
  });

  it('refuses a signed package whose file was swapped, even though the signature itself is good', async () => {
    const k = keys();
    const signed = await packContent(content, path.join(work, 'signed.zip'), undefined, undefined, {
      signWith: k.priv,
    });
    const bad = await tampered(signed.file, 'swapped.zip', (e) => {
      e.set('exhibit.yaml', Buffer.from(e.get('exhibit.yaml')!.toString().replace('Test', 'Fake')));
    });
    const dest = path.join(work, 'dest');
    await mkdir(dest);
    await expect(extractPackage(bad, dest, { checkManifest: requireSignature([k.pub]) })).rejects.toThrow(
      /"exhibit\.yaml" does not match its SHA-256 in the manifest/,
    );
  });

  it('a signed package installs through the store like any other', async () => {
    const k = keys();
    const signed = await packContent(content, path.join(work, 'signed.zip'), undefined, undefined, {
      signWith: k.priv,
    });
    const result = await applyContent(signed.file, path.join(work, 'store'));
    expect(result.version).toBe(signed.version);
    expect(await readFile(path.join(result.dir, 'exhibit.yaml'))).toEqual(
      await readFile(path.join(content, 'exhibit.yaml')),
    );
  });

  it('with no keys, takes unsigned packages as before', async () => {
    const plain = await packContent(content, path.join(work, 'plain.zip'));
    const dest = path.join(work, 'dest');
    await mkdir(dest);
    await expect(
      extractPackage(plain.file, dest, { checkManifest: requireSignature([]) }),
    ).resolves.toBeTruthy();
  });
});

describe('content keygen and pack --key', () => {
  it('makes a key pair with a private key only its owner can read, and never overwrites it without --force', async () => {
    const dir = path.join(work, 'keys');
    const first = captureOut();
    expect(await runContentCli(['keygen', '--out', dir], first.out)).toBe(0);
    const privFile = path.join(dir, KEY_FILES.private);
    const pubFile = path.join(dir, KEY_FILES.public);
    expect((await stat(privFile)).mode & 0o777).toBe(0o600);
    const priv = await readFile(privFile, 'utf8');
    const pub = parsePublicKey(await readFile(pubFile, 'utf8'));
    expect(first.stdout.join('\n')).toContain(keyId(pub));

    const again = captureOut();
    expect(await runContentCli(['keygen', '--out', dir], again.out)).toBe(2);
    expect(again.stderr.join('\n')).toMatch(/already exists; keep using it, or add --force/);
    expect(await readFile(privFile, 'utf8')).toBe(priv);

    await writeKeyPair(dir, { force: true });
    expect(await readFile(privFile, 'utf8')).not.toBe(priv);
    expect((await stat(privFile)).mode & 0o777).toBe(0o600);
  });

  it('pack --key signs the package so that verify accepts it with the public key', async () => {
    const dir = path.join(work, 'keys');
    const { privateKeyFile, publicKeyFile, keyId: id } = await writeKeyPair(dir);
    const packed = captureOut();
    const zip = path.join(work, 'signed.zip');
    expect(await runContentCli(['pack', content, zip, '--key', privateKeyFile], packed.out)).toBe(0);
    expect(packed.stdout.join('\n')).toContain(`signed with ${id}`);
    expect((await readZip(zip)).has('manifest.sig')).toBe(true);

    const ok = captureOut();
    expect(await runContentCli(['verify', zip, '--public-key', publicKeyFile], ok.out)).toBe(0);
    expect(ok.stdout.join('\n')).toContain(`signed by ${id}`);
    const unsigned = path.join(work, 'plain.zip');
    await packContent(content, unsigned);
    const no = captureOut();
    expect(await runContentCli(['verify', unsigned, '--public-key', publicKeyFile], no.out)).toBe(1);
    expect(no.stderr.join('\n')).toMatch(/unsigned: the package is not signed: pack it again with your key/);

    const wrong = captureOut();
    expect(await runContentCli(['pack', content, zip, '--key', publicKeyFile], wrong.out)).toBe(2);
    expect(wrong.stderr.join('\n')).toMatch(/is not a private key/);
  });
});
