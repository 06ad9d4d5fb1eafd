import { createHash } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runContentCli } from '../../main/kiosk/content-cli.js';
import { ContentError } from '../../main/content/errors.js';
import { hashContent, type Manifest } from '../../main/content/manifest.js';
import { packContent } from '../../main/content/pack.js';
import { applyContent, readState, rollbackContent, storeStatus } from '../../main/content/store.js';
import { unsafeEntryReason } from '../../main/content/zip-extract.js';
import {
  captureOut,
  cleanup,
  exhibitYaml,
  makeContent,
  rawZip,
  tempDir,
  type RawEntry,
} from './content-fixtures.js';

let work: string;
let content: string;
let store: string;
beforeEach(async () => {
  work = await tempDir();
  content = await makeContent(path.join(work, 'content'));
  store = path.join(work, 'store');
});
afterEach(() => cleanup(work));

/** The zip entries of the content folder, with a manifest; `tamper` may change them. */
async function entriesOf(dir: string): Promise<RawEntry[]> {
  const files = await hashContent(dir);
  const manifest: Manifest = {
    format: 'vitrine-content',
    formatVersion: 1,
    exhibitId: 'test-exhibit',
    contentVersion: '1',
    createdAt: new Date(0).toISOString(),
    files,
  };
  return [
    { name: 'manifest.json', data: Buffer.from(JSON.stringify(manifest)) },
    ...(await Promise.all(
      Object.keys(files).map(async (name) => ({ name, data: await readFile(path.join(dir, name)) })),
    )),
  ];
}

/** Installs version 1 and returns what visitors would see. */
async function installFirst() {
  const pkg = await packContent(content, path.join(work, 'v1.vitrine.zip'));
  const result = await applyContent(pkg.file, store);
  return { pkg, result };
}

async function expectStoreUnchanged(version: string) {
  const state = await readState(store);
  expect(state.current).toBe(version);
  const exhibit = await readFile(path.join(store, 'versions', version, 'exhibit.yaml'), 'utf8');
  expect(exhibit).toBe(exhibitYaml());
  expect(await readdir(path.join(store, 'staging'))).toEqual([]);
}

describe('content pack and apply', () => {
  it('packs with a manifest of SHA-256 hashes and installs it as the current version', async () => {
    const { pkg, result } = await installFirst();
    const want = createHash('sha256')
      .update(await readFile(path.join(content, 'media', 'photo.png')))
      .digest('hex');
    expect(pkg.manifest.files['media/photo.png']?.sha256).toBe(want);
    expect(pkg.manifest).toMatchObject({ contentVersion: '1', exhibitId: 'test-exhibit' });
    expect(result.version).toMatch(/^1-[0-9a-f]{12}$/);
    expect(await readFile(path.join(result.dir, 'media', 'photo.png'))).toEqual(
      await readFile(path.join(content, 'media', 'photo.png')),
    );
    const status = await storeStatus(store);
    expect(status).toMatchObject({ current: result.version, previous: undefined });
    expect(status.history[0]).toMatchObject({ action: 'apply', source: pkg.file });

    const { out, stdout } = captureOut();
    expect(await runContentCli(['apply', pkg.file, '--store', store], out)).toBe(0);
    expect(stdout.at(-1)).toBe(`Version ${result.version} is already current in ${store}.`);
    expect((await storeStatus(store)).history).toHaveLength(1);
  });

  it('keeps the previous version and rolls back to it (and forward again)', async () => {
    const { result: first } = await installFirst();
    await writeFile(path.join(content, 'exhibit.yaml'), exhibitYaml({ version: '2', caption: 'Corrected' }));
    const second = await applyContent(content, store);
    expect(second.previous).toBe(first.version);
    expect(second.version).toMatch(/^2-/);
    expect((await readState(store)).current).toBe(second.version);

    const back = await rollbackContent(store);
    expect(back).toEqual({ version: first.version, from: second.version });
    expect((await storeStatus(store)).history[0]).toMatchObject({ action: 'rollback' });
    await rollbackContent(store);
    expect((await readState(store)).current).toBe(second.version);
  });

  it('refuses to pack invalid content and writes no package', async () => {
    await writeFile(path.join(content, 'exhibit.yaml'), exhibitYaml({ src: 'media/missing.png' }));
    const { out, stdout, stderr } = captureOut();
    expect(await runContentCli(['pack', content, path.join(work, 'bad.zip')], out)).toBe(1);
    expect(stdout.join('\n')).toMatch(/media\/missing\.png" does not exist/);
    expect(stderr.join('\n')).toMatch(/^content: not packed: the content has 1 error/);
    expect(await readdir(work)).toEqual(['content']);
  });

  it('packs a link inside the folder as the file, and refuses one that leads out', async () => {
    await symlink('photo.png', path.join(content, 'media', 'same-photo.png'));
    const pkg = await packContent(content, path.join(work, 'linked.zip'));
    expect(pkg.manifest.files['media/same-photo.png']).toEqual(pkg.manifest.files['media/photo.png']);
    const applied = await applyContent(content, store);
    expect((await lstat(path.join(applied.dir, 'media', 'same-photo.png'))).isFile()).toBe(true);

    await writeFile(path.join(work, 'outside.png'), 'x');
    await symlink(path.join(work, 'outside.png'), path.join(content, 'media', 'outside.png'));
    // Refused at the check before packing, with the link named as the problem.
    await expect(packContent(content, path.join(work, 'out.zip'))).rejects.toMatchObject({
      report: {
        problems: [
          expect.objectContaining({
            file: 'media/outside.png',
            message: 'media/outside.png is a link to something outside the content folder',
          }),
        ],
      },
    });
    await expect(applyContent(content, store)).rejects.toMatchObject({
      problems: [expect.objectContaining({ file: 'media/outside.png' })],
    });
    expect((await readState(store)).current).toBe(applied.version);
  });

  it('refuses a content folder with errors and keeps the last good version', async () => {
    const { result } = await installFirst();
    await writeFile(path.join(content, 'exhibit.yaml'), 'schemaVersion: 1\nchapters: [');
    await expect(applyContent(content, store)).rejects.toThrow(/has errors/);
    await expectStoreUnchanged(result.version);
  });

  it.each([
    [
      'a "../" entry',
      { name: '../evil.txt', data: Buffer.from('x') },
      /"\.\.\/evil\.txt" climbs out of the package/,
    ],
    [
      'an absolute entry',
      { name: '/tmp/evil.txt', data: Buffer.from('x') },
      /"\/tmp\/evil\.txt" has an absolute path/,
    ],
    [
      'a symbolic link',
      { name: 'media/link.png', data: Buffer.from('/etc/passwd'), mode: 0o120777 },
      /"media\/link\.png" is a symbolic link/,
    ],
  ])('rejects a zip with %s, writing nothing', async (_what, bad, message) => {
    const { result } = await installFirst();
    const evil = path.join(work, 'evil.zip');
    await writeFile(evil, rawZip([...(await entriesOf(content)), bad]));
    const { out, stderr } = captureOut();
    expect(await runContentCli(['apply', evil, '--store', store], out)).toBe(1);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatch(message);
    await expectStoreUnchanged(result.version);
    await expect(stat(path.join(work, 'evil.txt'))).rejects.toThrow();
    await expect(stat('/tmp/evil.txt')).rejects.toThrow();
  });

  it('rejects a package whose hashes do not match, keeping the last good version', async () => {
    const { result } = await installFirst();
    const entries = await entriesOf(content);
    const photo = entries.find((e) => e.name === 'media/photo.png')!;
    photo.data = Buffer.concat([photo.data!, Buffer.from('corrupted in transit')]);
    const damaged = path.join(work, 'damaged.zip');
    await writeFile(damaged, rawZip(entries));
    await expect(applyContent(damaged, store)).rejects.toThrow(
      /rejected: "media\/photo\.png" does not match its SHA-256 in the manifest/,
    );
    await expectStoreUnchanged(result.version);
  });

  it('rejects a package with a file the manifest does not list, and one that is not a zip', async () => {
    const entries = await entriesOf(content);
    const extra = path.join(work, 'extra.zip');
    await writeFile(extra, rawZip([...entries, { name: 'media/sneaky.svg', data: Buffer.from('<svg/>') }]));
    await expect(applyContent(extra, store)).rejects.toThrow(
      /"media\/sneaky\.svg" is in the package but not in its manifest/,
    );
    const notZip = path.join(work, 'photo.zip');
    await writeFile(notZip, 'not a zip at all');
    await expect(applyContent(notZip, store)).rejects.toThrow(
      /is not a zip package, or it was cut short while copying/,
    );
    expect((await readState(store)).current).toBeUndefined();
  });

  it('checks entry names before anything else', () => {
    expect(unsafeEntryReason('media/a.png')).toBeUndefined();
    expect(unsafeEntryReason('media\\..\\a.png')).toMatch(/backslashes/);
    expect(unsafeEntryReason('C:/Windows/a.png')).toMatch(/absolute/);
    expect(unsafeEntryReason('media/../../a')).toMatch(/climbs out/);
  });

  it('says there is nothing to roll back to on a fresh store', async () => {
    await expect(rollbackContent(store)).rejects.toBeInstanceOf(ContentError);
    const { out, stderr } = captureOut();
    expect(await runContentCli(['rollback', '--store', store], out)).toBe(1);
    expect(stderr).toEqual(['content: there is no previous version to roll back to']);
  });

  it('prints help with the exit codes, and a one-line message for wrong usage', async () => {
    const help = captureOut();
    expect(await runContentCli(['--help'], help.out)).toBe(0);
    expect(help.stdout.join('\n')).toMatch(/Exit codes\n {2}0 .*\n {2}1 .*\n {2}2 /);
    const bad = captureOut();
    expect(await runContentCli(['pack', content], bad.out)).toBe(2);
    expect(bad.stderr).toEqual(['content: usage: npm run content -- pack DIR OUT']);
  });
});
