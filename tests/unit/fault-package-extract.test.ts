/**
 * Faults in content packages and the disk they are unpacked to: a zip bomb,
 * a manifest that lies about sizes, an entry the manifest does not list, a
 * disk without room, and a disk that fills up midway. Each is judged before a
 * byte is written where it can be; what is left on disk is what a technician
 * would find.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { ContentError } from '../../main/content/errors.js';
import { hashContent, type Manifest } from '../../main/content/manifest.js';
import { packContent } from '../../main/content/pack.js';
import { applyContent, readState } from '../../main/content/store.js';
import {
  extractPackage,
  isPackageNoSpace,
  PackageNoSpace,
  type ExtractFs,
} from '../../main/content/zip-extract.js';
import { cleanup, makeContent, tempDir } from './content-fixtures.js';

let work: string;
let content: string;
let dest: string;
beforeEach(async () => {
  work = await tempDir();
  content = await makeContent(path.join(work, 'content'));
  dest = path.join(work, 'dest');
  await mkdir(dest);
});
afterEach(() => cleanup(work));

interface ZipItem {
  name: string;
  data: Buffer;
  compress?: boolean;
}

/** Writes a zip made by yazl (the library `content pack` uses), deflating where asked. */
async function writeZip(file: string, items: ZipItem[]): Promise<number> {
  const zip = new yazl.ZipFile();
  for (const it of items) zip.addBuffer(it.data, it.name, { compress: it.compress ?? false });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream as AsyncIterable<Buffer>) chunks.push(c);
  const buf = Buffer.concat(chunks);
  await writeFile(file, buf);
  return buf.length;
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** The content folder's files and a manifest for them, to which a test adds or changes entries. */
async function contentItems(): Promise<{ manifest: Manifest; items: ZipItem[] }> {
  const files = await hashContent(content);
  const manifest: Manifest = {
    format: 'vitrine-content',
    formatVersion: 1,
    exhibitId: 'test-exhibit',
    contentVersion: '1',
    createdAt: new Date(0).toISOString(),
    files,
  };
  const items = await Promise.all(
    Object.keys(files).map(async (name) => ({ name, data: await readFile(path.join(content, name)) })),
  );
  return { manifest, items };
}

const withManifest = (manifest: Manifest, items: ZipItem[]): ZipItem[] => [
  { name: 'manifest.json', data: Buffer.from(JSON.stringify(manifest)) },
  ...items,
];

/** Every byte written under a folder. */
async function bytesUnder(dir: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) total += (await stat(path.join(e.parentPath, e.name))).size;
  }
  return total;
}

const ZEROS = Buffer.alloc(16 * 1024 ** 2);

describe('a package is judged before it is unpacked', () => {
  it('refuses a zip bomb (16 MiB of zeros in a ~16 kB zip), writing nothing', async () => {
    const { manifest, items } = await contentItems();
    manifest.files['media/bomb.ogg'] = { size: ZEROS.length, sha256: sha(ZEROS) };
    const pkg = path.join(work, 'bomb.zip');
    const zipSize = await writeZip(
      pkg,
      withManifest(manifest, [...items, { name: 'media/bomb.ogg', data: ZEROS, compress: true }]),
    );
    expect(zipSize).toBeLessThan(256 * 1024);
    const err = await extractPackage(pkg, dest).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContentError);
    expect((err as ContentError).exitCode).toBe(1);
    expect((err as Error).message).toMatch(/"media\/bomb\.ogg" is compressed \d+ to 1.*zip bomb/);
    expect(await bytesUnder(dest)).toBe(0);
  });

  it('refuses an entry whose manifest size is a lie, before writing it', async () => {
    const { manifest, items } = await contentItems();
    manifest.files['media/big.ogg'] = { size: 10, sha256: sha(ZEROS.subarray(0, 10)) };
    const pkg = path.join(work, 'liar.zip');
    await writeZip(
      pkg,
      withManifest(manifest, [...items, { name: 'media/big.ogg', data: ZEROS, compress: true }]),
    );
    await expect(extractPackage(pkg, dest)).rejects.toThrow(
      /"media\/big\.ogg" does not match its SHA-256 in the manifest \(it unpacks to 16777216 bytes, the manifest says 10\)/,
    );
    expect(await bytesUnder(dest)).toBe(0);
  });

  it('refuses an entry the manifest does not list, before writing anything', async () => {
    const { manifest, items } = await contentItems();
    const pkg = path.join(work, 'extra.zip');
    const extra = Buffer.alloc(5 * 1024 ** 2, 7);
    await writeZip(pkg, withManifest(manifest, [...items, { name: 'media/extra.ogg', data: extra }]));
    await expect(extractPackage(pkg, dest)).rejects.toThrow(
      /"media\/extra\.ogg" is in the package but not in its manifest/,
    );
    expect(await bytesUnder(dest)).toBe(0);
  });

  it('refuses a package without a manifest, and one over the size caps', async () => {
    const { manifest, items } = await contentItems();
    const bare = path.join(work, 'bare.zip');
    await writeZip(bare, items);
    await expect(extractPackage(bare, dest)).rejects.toThrow(/has no readable manifest\.json/);
    const ok = path.join(work, 'ok.zip');
    await writeZip(ok, withManifest(manifest, items));
    await expect(extractPackage(ok, dest, { limits: { maxTotalBytes: 100 } })).rejects.toThrow(
      /unpacks to more than/,
    );
    await expect(extractPackage(ok, dest, { limits: { maxEntryBytes: 100 } })).rejects.toThrow(
      /unpacks to more than/,
    );
    expect(await bytesUnder(dest)).toBe(0);
  });

  it('a zip bomb offered to the store leaves the store as it was and the package where it lay', async () => {
    const good = await packContent(content, path.join(work, 'v1.vitrine.zip'));
    const store = path.join(work, 'store');
    const first = await applyContent(good.file, store);
    const { manifest, items } = await contentItems();
    manifest.files['media/bomb.ogg'] = { size: ZEROS.length, sha256: sha(ZEROS) };
    const pkg = path.join(work, 'bomb.zip');
    await writeZip(
      pkg,
      withManifest(manifest, [...items, { name: 'media/bomb.ogg', data: ZEROS, compress: true }]),
    );
    await expect(applyContent(pkg, store)).rejects.toThrow(/zip bomb/);
    expect((await readState(store)).current).toBe(first.version);
    expect(await readdir(path.join(store, 'staging'))).toEqual([]);
    expect(await bytesUnder(store)).toBeLessThan(1024 ** 2);
    expect((await stat(pkg)).isFile()).toBe(true);
  });

  it('still unpacks a good package exactly', async () => {
    const good = await packContent(content, path.join(work, 'v1.vitrine.zip'));
    const files = await extractPackage(good.file, dest);
    expect(files.map((f) => f.name).sort()).toEqual(
      ['manifest.json', ...Object.keys(good.manifest.files)].sort(),
    );
    for (const name of Object.keys(good.manifest.files)) {
      expect(await readFile(path.join(dest, name))).toEqual(await readFile(path.join(content, name)));
    }
  });
});

describe('a disk without room keeps the package for a retry', () => {
  async function goodPackage() {
    return (await packContent(content, path.join(work, 'v1.vitrine.zip'))).file;
  }

  it('checks free space first: too little is PackageNoSpace (exit 2), with nothing written', async () => {
    const pkg = await goodPackage();
    const statfs: ExtractFs['statfs'] = async () => ({ bavail: 1000, bsize: 4096 });
    const err = await extractPackage(pkg, dest, { fs: { statfs } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PackageNoSpace);
    expect(isPackageNoSpace(err)).toBe(true);
    expect((err as PackageNoSpace).exitCode).toBe(2);
    expect((err as PackageNoSpace).freeBytes).toBe(4096 * 1000);
    expect((err as Error).message).toMatch(/not enough room on the disk.*the package is kept/);
    expect(await bytesUnder(dest)).toBe(0);
  });

  it('a disk that fills up midway (ENOSPC) is PackageNoSpace, not a damaged package', async () => {
    const pkg = await goodPackage();
    let writes = 0;
    const createWriteStream: ExtractFs['createWriteStream'] = () =>
      new Writable({
        write(_chunk, _enc, done) {
          writes++;
          const err = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
          done(err);
        },
      });
    const err = await extractPackage(pkg, dest, { fs: { createWriteStream } }).catch((e: unknown) => e);
    expect(writes).toBeGreaterThan(0);
    expect(isPackageNoSpace(err)).toBe(true);
    expect((err as ContentError).exitCode, 'not exit 1: the inbox must not move it to rejected/').toBe(2);
    expect((err as Error).message).toMatch(/the disk filled up while unpacking v1\.vitrine\.zip/);
  });

  it('a package damaged in transit is still refused as damaged (exit 1), not kept for a retry', async () => {
    const pkg = await goodPackage();
    const zip = await readFile(pkg);
    const photo = await readFile(path.join(content, 'media/photo.png'));
    const at = zip.indexOf(photo.subarray(0, 32));
    expect(at).toBeGreaterThan(0);
    zip[at + 40] = zip[at + 40]! ^ 0xff;
    await writeFile(pkg, zip);
    const err = await extractPackage(pkg, dest).catch((e: unknown) => e);
    expect(isPackageNoSpace(err)).toBe(false);
    expect((err as ContentError).exitCode).toBe(1);
    expect((err as Error).message).toMatch(/"media\/photo\.png" does not match its SHA-256/);
  });
});
