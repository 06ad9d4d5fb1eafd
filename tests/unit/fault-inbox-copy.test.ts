/**
 * A package copied into the inbox is taken only once the copy has really
 * finished: a copy that stalls for longer than the quiet time is waited for,
 * not refused as cut short; a `NAME.done` marker says "finished" outright; a
 * refused package whose copy went on afterwards is looked at again, and its
 * wrong note removed.
 */
import { mkdir, readFile, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { quietNeeded } from '../../main/content/inbox.js';
import type { LiveContent } from '../../main/content/live.js';
import { packContent } from '../../main/content/pack.js';
import { applyContent } from '../../main/content/store.js';
import { cleanup, makeContent, tempDir } from './content-fixtures.js';
import { caption, list, startLive } from './fault-store-fixtures.js';

let work: string;
let content: string;
let store: string;
let inbox: string;
let live: LiveContent | undefined;
let errors: string[];
let offset = 0;
const clock = () => Date.now() + offset;

beforeEach(async () => {
  work = await tempDir('vitrine-fault-inbox-');
  content = await makeContent(path.join(work, 'content'), { caption: 'Caption 1', version: '1' });
  store = path.join(work, 'store');
  inbox = path.join(work, 'inbox');
  await mkdir(inbox);
  await applyContent(content, store);
  errors = [];
  offset = 0;
});
afterEach(async () => {
  live?.close();
  live = undefined;
  await cleanup(work);
});

/** The kiosk with the real quiet time (5 s) on a clock the test moves. */
const start = async () => {
  live = await startLive(
    { contentDir: content, store, inbox, seedOnly: true, stableMs: 5000, now: clock },
    errors,
  );
  return live;
};

const packageBytes = async (n: string) => {
  const dir = await makeContent(path.join(work, `src-${n}`), { caption: `Caption ${n}`, version: n });
  return readFile((await packContent(dir, path.join(work, 'out') + path.sep)).file);
};

/** Sets a file's mtime `ago` ms before the test's clock. */
const age = async (file: string, ago: number) => {
  const t = new Date(clock() - ago);
  await utimes(file, t, t);
};

describe('a copy into the inbox', () => {
  it('that stalls for longer than the quiet time is waited for, then installed', async () => {
    const bytes = await packageBytes('2');
    const file = path.join(inbox, 'v2.zip');
    await writeFile(file, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    await age(file, 6000);
    const l = await start();
    for (let i = 0; i < 4; i++) {
      await l.poll();
      offset += 30_000;
    }
    expect(await list(inbox)).toEqual(['v2.zip']);
    expect(l.status().inbox?.waiting).toEqual(['v2.zip']);
    expect(errors).toEqual([]);

    await writeFile(file, bytes);
    await age(file, 0);
    await l.poll();
    offset += 6000;
    await l.poll();
    expect(caption(l)).toBe('Caption 2');
    expect(await list(inbox)).toEqual(['applied']);
    expect(await list(path.join(inbox, 'applied'))).toEqual(['v2.zip']);
  });

  it('with a NAME.done marker is taken at once, and the marker goes with it', async () => {
    await writeFile(path.join(inbox, 'v2.zip'), await packageBytes('2'));
    await writeFile(path.join(inbox, 'v2.zip.done'), '');
    const l = await start();
    await l.poll();
    expect(caption(l)).toBe('Caption 2');
    expect(await list(path.join(inbox, 'applied'))).toEqual(['v2.zip', 'v2.zip.done']);
  });

  it('waits longer for a bigger package', () => {
    expect(quietNeeded(1024, 5000)).toBe(5000);
    expect(quietNeeded(100 * 1024 ** 2, 5000)).toBe(25_000);
    expect(quietNeeded(10 * 1024 ** 3, 5000)).toBe(5000 + 120_000);
  });

  it('refused while its copy was still going on is taken back once complete, and the wrong note removed', async () => {
    const file = path.join(inbox, 'v2.zip');
    await writeFile(file, 'not a package yet');
    await age(file, 60_000);
    const l = await start();
    await l.poll();
    offset += 6000;
    await l.poll();
    expect(await list(path.join(inbox, 'rejected'))).toEqual(['v2.zip', 'v2.zip.txt']);

    // The copy went on into the moved file, as it does when the copying program keeps the file open.
    await writeFile(path.join(inbox, 'rejected', 'v2.zip'), await packageBytes('2'));
    for (let i = 0; i < 3; i++) {
      await l.poll();
      offset += 6000;
    }
    expect(caption(l)).toBe('Caption 2');
    expect(await list(path.join(inbox, 'rejected'))).toEqual([]);
    expect(await list(path.join(inbox, 'applied'))).toEqual(['v2.zip']);
  });
});
