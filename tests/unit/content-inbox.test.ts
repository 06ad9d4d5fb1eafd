import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runContentCli } from '../../main/kiosk/content-cli.js';
import { classify, createInbox } from '../../main/content/inbox.js';
import { hashContent, MANIFEST_FILE } from '../../main/content/manifest.js';
import { packContent } from '../../main/content/pack.js';
import { readState } from '../../main/content/store.js';
import { captureOut, cleanup, exhibitYaml, makeContent, rawZip, tempDir } from './content-fixtures.js';

let work: string;
let inbox: string;
let store: string;
let content: string;
let offset: number;
/** A clock the test moves forward, starting at the real time (file mtimes are real). */
const clock = () => Date.now() + offset;
const STABLE = 5000;

beforeEach(async () => {
  work = await tempDir();
  content = await makeContent(path.join(work, 'content'));
  inbox = path.join(work, 'inbox');
  store = path.join(work, 'store');
  await mkdir(inbox);
  offset = 0;
});
afterEach(() => cleanup(work));

async function dropPackage(name: string, mutate?: (zip: Buffer) => Buffer): Promise<Buffer> {
  const pkg = await packContent(content, path.join(work, 'out', name));
  let bytes: Buffer = await readFile(pkg.file);
  if (mutate) bytes = mutate(bytes);
  await writeFile(path.join(inbox, name), bytes);
  return bytes;
}

describe('content inbox', () => {
  it('waits while a file has a temporary name or is still changing, then takes it', () => {
    const t = 1_000_000;
    const file = { size: 10, mtimeMs: t - 60_000, isFile: true };
    expect(classify('pkg.zip.part', file, undefined, t, STABLE).verdict.status).toBe('copying');
    expect(classify('pkg.zip.crdownload', file, undefined, t, STABLE).verdict.status).toBe('copying');
    const first = classify('pkg.zip', file, undefined, t, STABLE);
    expect(first.verdict.status).toBe('waiting');
    const grown = classify('pkg.zip', { ...file, size: 20 }, first.observation, t + STABLE, STABLE);
    expect(grown.verdict.status).toBe('waiting');
    const still = classify('pkg.zip', { ...file, size: 20 }, grown.observation, t + 2 * STABLE, STABLE);
    expect(still.verdict.status).toBe('ready');
    expect(classify('notes.txt', file, undefined, t, STABLE).verdict.status).toBe('ignored');
    expect(classify('applied', { ...file, isFile: false }, undefined, t, STABLE).verdict.status).toBe(
      'ignored',
    );
  });

  it('installs a package once it has stopped changing and moves it to applied/', async () => {
    const bytes = await dropPackage('v1.vitrine.zip');
    const box = createInbox(inbox, store, { stableMs: STABLE, now: clock });
    expect((await box.scan()).map((e) => e.kind)).toEqual(['waiting']);
    expect((await readState(store)).current).toBeUndefined();
    offset += STABLE + 1000;
    const [event] = await box.scan();
    expect(event).toMatchObject({
      kind: 'applied',
      name: 'v1.vitrine.zip',
      movedTo: path.join('applied', 'v1.vitrine.zip'),
    });
    expect((await readState(store)).current).toMatch(/^1-/);
    expect(await readFile(path.join(inbox, 'applied', 'v1.vitrine.zip'))).toEqual(bytes);
    expect(await box.scan()).toEqual([]);
  });

  it('never touches a package that is still being copied', async () => {
    await writeFile(path.join(inbox, 'v1.vitrine.zip.part'), 'PK half a file');
    const box = createInbox(inbox, store, { stableMs: STABLE, now: clock });
    for (let i = 0; i < 3; i++) {
      offset += STABLE * 2;
      expect(await box.scan()).toEqual([
        { kind: 'waiting', name: 'v1.vitrine.zip.part', reason: expect.stringMatching(/still being copied/) },
      ]);
    }
    expect(await readFile(path.join(inbox, 'v1.vitrine.zip.part'), 'utf8')).toBe('PK half a file');
    expect((await readState(store)).current).toBeUndefined();
  });

  it('moves a package whose hashes do not match to rejected/ with the reason, keeping the last good version', async () => {
    const box = createInbox(inbox, store, { stableMs: STABLE, now: clock });
    await dropPackage('v1.vitrine.zip');
    await box.scan();
    offset += STABLE + 1000;
    await box.scan();
    const good = (await readState(store)).current;

    await writeFile(path.join(content, 'exhibit.yaml'), exhibitYaml({ version: '2' }));
    // Stored (not deflated) PNG bytes: flipping one changes the file but keeps the zip readable.
    const bad = await dropPackage('v2.vitrine.zip', (zip) => {
      const at = zip.indexOf(Buffer.from('IDAT')) + 8;
      const copy = Buffer.from(zip);
      copy[at] = (copy[at] ?? 0) ^ 0xff;
      return copy;
    });
    await box.scan();
    offset += STABLE * 2 + 1000;
    const [event] = await box.scan();
    expect(event).toMatchObject({
      kind: 'rejected',
      name: 'v2.vitrine.zip',
      movedTo: path.join('rejected', 'v2.vitrine.zip'),
    });
    expect(event?.kind === 'rejected' && event.reason).toMatch(
      /"media\/photo\.png" does not match its SHA-256/,
    );
    expect(await readFile(path.join(inbox, 'rejected', 'v2.vitrine.zip'))).toEqual(bad);
    const why = await readFile(path.join(inbox, 'rejected', 'v2.vitrine.zip.txt'), 'utf8');
    expect(why).toMatch(/was not installed/);
    expect(why).toMatch(/keeps showing the version it had/);
    expect((await readState(store)).current).toBe(good);
    expect((await readdir(inbox)).sort()).toEqual(['applied', 'rejected']);
  });

  it('reports the problems of a package whose content is invalid with the rejection itself', async () => {
    // A well-formed package (its manifest matches its files) of content that does not validate.
    const bad = await makeContent(path.join(work, 'bad'), { src: 'media/missing.png' });
    const files = await hashContent(bad);
    const manifest = { format: 'vitrine-content', formatVersion: 1, exhibitId: 'test-exhibit' };
    const entries = [
      {
        name: MANIFEST_FILE,
        data: Buffer.from(
          JSON.stringify({ ...manifest, contentVersion: '1', createdAt: new Date(0).toISOString(), files }),
        ),
      },
      ...(await Promise.all(
        Object.keys(files).map(async (name) => ({ name, data: await readFile(path.join(bad, name)) })),
      )),
    ];
    await writeFile(path.join(inbox, 'bad.zip'), rawZip(entries));
    const box = createInbox(inbox, store, { stableMs: 0, now: clock });
    await box.scan();
    offset += 1000;
    const [event] = await box.scan();
    expect(event).toMatchObject({
      kind: 'rejected',
      name: 'bad.zip',
      reason: expect.stringMatching(/has errors/),
    });
    const problems = event?.kind === 'rejected' ? event.problems : [];
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.severity === 'error')).toBe(true);
    expect(problems.some((p) => p.message.includes('missing.png') || p.hint.includes('missing.png'))).toBe(
      true,
    );
    expect((await readState(store)).current).toBeUndefined();
  });

  it('never overwrites an earlier rejected package of the same name', async () => {
    const box = createInbox(inbox, store, { stableMs: 0, now: clock });
    for (const text of ['first broken', 'second broken']) {
      await writeFile(path.join(inbox, 'same.zip'), text);
      offset += 1000;
      await box.scan(); // first sight: waits
      offset += 1000;
      await box.scan(); // unchanged since: taken, and rejected
    }
    const kept = (await readdir(path.join(inbox, 'rejected'))).filter((n) => n.endsWith('.zip'));
    expect(kept).toHaveLength(2);
    const texts = await Promise.all(kept.map((n) => readFile(path.join(inbox, 'rejected', n), 'utf8')));
    expect(texts.sort()).toEqual(['first broken', 'second broken']);
  });

  it('from the command line: waits for the copy to settle, installs, and reports rejects with exit 1', async () => {
    await dropPackage('v1.vitrine.zip');
    await writeFile(path.join(inbox, 'broken.zip'), 'not a zip');
    const { out, stdout } = captureOut();
    const code = await runContentCli(['inbox', inbox, '--store', store, '--stable-seconds', '0'], out);
    expect(code, stdout.join('\n')).toBe(1);
    expect(stdout).toContain(
      'broken.zip: rejected: broken.zip is not a zip package, or it was cut short while copying; copy it again or pack it anew (moved to rejected/broken.zip, reason in rejected/broken.zip.txt)',
    );
    expect(
      stdout.some((l) =>
        /^v1\.vitrine\.zip: installed as 1-[0-9a-f]{12}, moved to applied\/v1\.vitrine\.zip$/.test(l),
      ),
    ).toBe(true);
    expect((await readState(store)).current).toMatch(/^1-/);
  });

  it('from the command line: a copy stopped before its end is said once, and the command stops', async () => {
    const whole = await readFile((await packContent(content, path.join(work, 'out') + path.sep)).file);
    await writeFile(path.join(inbox, 'half.zip'), whole.subarray(0, Math.floor(whole.length / 2)));
    const { out, stdout } = captureOut();
    const started = Date.now();
    const code = await runContentCli(['inbox', inbox, '--store', store, '--stable-seconds', '1'], out);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(code).toBe(1);
    expect(stdout.filter((l) => l.includes('half.zip'))).toEqual([
      expect.stringMatching(/"half\.zip" changed recently; waiting until it has been still for \d+ s/),
      'half.zip: not installed: its copy stopped before the end (nothing has changed for 1 s, but the end of the package is missing). Copy it again; left as it is, a kiosk waits 10 minutes for the rest, then refuses it as cut short.',
    ]);
    // Left for the kiosk to judge, not moved.
    expect(await readdir(inbox)).toContain('half.zip');
  }, 30_000);
});
