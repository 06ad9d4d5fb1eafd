/**
 * A pointer file that cannot be read is not a damaged one. Under a connection
 * flood the kiosk ran out of file handles (EMFILE); the store once took that
 * for a damaged `current.json` and rebuilt it with no current version and an
 * empty history. Reads here fail the way the system fails them, through a
 * mocked `node:fs/promises`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LiveContent } from '../../main/content/live.js';
import { applyContent, readState, repairState, StoreReadError } from '../../main/content/store.js';
import { cleanup, exhibitYaml, makeContent, tempDir } from './content-fixtures.js';
import { caption, startLive } from './fault-store-fixtures.js';

/** How many more reads of a store pointer file fail, and with which code. */
const fault = { code: 'EMFILE', left: 0, statLeft: 0 };

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const failing = ((...args: Parameters<typeof real.readFile>) => {
    const file = String(args[0]);
    if (fault.left > 0 && /current(\.backup)?\.json$/.test(file)) {
      fault.left--;
      const err = new Error(`${fault.code}: too many open files, open '${file}'`) as NodeJS.ErrnoException;
      err.code = fault.code;
      return Promise.reject(err);
    }
    return real.readFile(...args);
  }) as typeof real.readFile;
  const stat = ((...args: Parameters<typeof real.stat>) => {
    if (fault.statLeft > 0 && /[\\/]versions[\\/][^\\/]+$/.test(String(args[0]))) {
      fault.statLeft--;
      const err = new Error(`${fault.code}: stat '${String(args[0])}'`) as NodeJS.ErrnoException;
      err.code = fault.code;
      return Promise.reject(err);
    }
    return real.stat(...args);
  }) as typeof real.stat;
  return { ...real, readFile: failing, stat, default: { ...real, readFile: failing, stat } };
});

let work: string;
let store: string;
let live: LiveContent | undefined;

beforeEach(async () => {
  work = await tempDir('vitrine-fault-read-');
  store = path.join(work, 'store');
  Object.assign(fault, { code: 'EMFILE', left: 0, statLeft: 0 });
});
afterEach(async () => {
  Object.assign(fault, { left: 0, statLeft: 0 });
  live?.close();
  live = undefined;
  await cleanup(work);
});

/** Two versions installed; the second is current. */
async function twoVersions() {
  const src = await makeContent(path.join(work, 'src'), { caption: 'One', version: '1' });
  const v1 = await applyContent(src, store);
  await writeFile(path.join(src, 'exhibit.yaml'), exhibitYaml({ caption: 'Two', version: '2' }));
  const v2 = await applyContent(src, store);
  return { v1, v2 };
}

const pointerFiles = async () =>
  Promise.all(['current.json', 'current.backup.json'].map((n) => readFile(path.join(store, n), 'utf8')));

describe('a store pointer that cannot be read', () => {
  it.each(['EMFILE', 'ENFILE', 'EIO', 'EACCES', 'EBUSY', 'EAGAIN'])(
    'is reported as unreadable, never rebuilt or rewritten, on %s',
    async (code) => {
      const { v2 } = await twoVersions();
      const before = await pointerFiles();
      fault.code = code;
      fault.left = 1000;
      const notes: string[] = [];
      await expect(readState(store, (m) => notes.push(m))).rejects.toBeInstanceOf(StoreReadError);
      await expect(repairState(store, (m) => notes.push(m))).rejects.toThrow(code);
      expect(notes).toEqual([]);
      fault.left = 0;
      expect(await pointerFiles()).toEqual(before);
      expect((await readState(store)).current).toBe(v2.version);
    },
  );

  it('is not rebuilt without a version folder that cannot be looked at right now', async () => {
    const { v1, v2 } = await twoVersions();
    await writeFile(path.join(store, 'current.json'), '{"current": ');
    await writeFile(path.join(store, 'current.backup.json'), '');
    fault.statLeft = 1000;
    await expect(repairState(store, () => {})).rejects.toBeInstanceOf(StoreReadError);
    expect(await readFile(path.join(store, 'current.json'), 'utf8')).toBe('{"current": ');
    fault.statLeft = 0;
    const state = await repairState(store, () => {});
    expect([state.current, state.previous]).toEqual([v2.version, v1.version]);
  });

  it('is read again after a short wait when the error passes', async () => {
    const { v1, v2 } = await twoVersions();
    fault.left = 3;
    const notes: string[] = [];
    const state = await readState(store, (m) => notes.push(m));
    expect(state.current).toBe(v2.version);
    expect(state.previous).toBe(v1.version);
    expect(state.history).toHaveLength(2);
    expect(notes).toEqual([]);
  });

  it('keeps a running kiosk on its version and says why, then carries on when reads work again', async () => {
    const { v1, v2 } = await twoVersions();
    const content = await makeContent(path.join(work, 'content'), { caption: 'Seed' });
    const errors: string[] = [];
    live = await startLive({ contentDir: content, store, seedOnly: true }, errors);
    expect(caption(live)).toBe('Two');
    const before = await pointerFiles();

    fault.left = 1000;
    // The periodic look fails with the reason (its caller sends it to the staff errors) and changes nothing.
    await expect(live.poll()).rejects.toThrow(
      /current\.json could not be read \(EMFILE\); the content store was left as it is/,
    );
    await expect(live.poll()).rejects.toThrow(StoreReadError);
    expect(caption(live)).toBe('Two');
    expect(errors.join('\n')).not.toMatch(/damaged|rebuilt/);
    fault.left = 0;
    expect(await pointerFiles()).toEqual(before);

    // A restart after the flood finds the store as it was: same current, previous and history.
    live.close();
    live = await startLive({ contentDir: content, store, seedOnly: true }, errors);
    expect(caption(live)).toBe('Two');
    const state = await readState(store);
    expect([state.current, state.previous]).toEqual([v2.version, v1.version]);
    expect(state.history.map((h) => h.action)).toEqual(['apply', 'apply']);
  });
});
