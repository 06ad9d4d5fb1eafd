/**
 * A rebuilt pointer keeps what the lost one knew: with `current.json` garbage
 * and its backup empty, the store once rebuilt a pointer with no confirmed and
 * no rolled-back versions, put a rolled-back version back, and the next
 * restart rolled back the good current version when its confirm timer ran out.
 */
import { utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LiveContent } from '../../main/content/live.js';
import { applyContent, confirmVersion, readState, rollbackContent } from '../../main/content/store.js';
import { cleanup, exhibitYaml, makeContent, tempDir } from './content-fixtures.js';
import { caption, startLive } from './fault-store-fixtures.js';

let work: string;
let src: string;
let content: string;
let store: string;
let live: LiveContent | undefined;
let errors: string[];

beforeEach(async () => {
  work = await tempDir('vitrine-fault-marks-');
  src = await makeContent(path.join(work, 'src'), { caption: 'Caption 1', version: '1' });
  content = await makeContent(path.join(work, 'content'), { caption: 'Seed' });
  store = path.join(work, 'store');
  errors = [];
});
afterEach(async () => {
  live?.close();
  live = undefined;
  await cleanup(work);
});

const install = async (n: string) => {
  await writeFile(path.join(src, 'exhibit.yaml'), exhibitYaml({ caption: `Caption ${n}`, version: n }));
  return applyContent(src, store);
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** 1 and 2 installed, 2 confirmed; 3 installed, failed and rolled back: 2 is current, 3 blocked. */
async function afterARollback() {
  const v1 = await install('1');
  const v2 = await install('2');
  await confirmVersion(store, v2.version);
  const v3 = await install('3');
  await rollbackContent(store, { auto: true, note: 'the screen crashed' });
  // The rolled-back folder is the newest on disk, as it is after a real apply.
  const later = new Date(Date.now() + 60_000);
  await utimes(path.join(store, 'versions', v3.version), later, later);
  return { v1, v2, v3 };
}

async function losePointer() {
  await writeFile(path.join(store, 'current.json'), '\u0000garbage');
  await writeFile(path.join(store, 'current.backup.json'), '');
}

describe('rebuilding a damaged pointer', () => {
  it('keeps the block list and the confirmations, and never picks a rolled-back version', async () => {
    const { v1, v2, v3 } = await afterARollback();
    await losePointer();
    const notes: string[] = [];
    const state = await readState(store, (m) => notes.push(m));
    expect(state.current).toBe(v2.version);
    expect(state.previous).toBe(v1.version);
    expect(state.rolledBack).toEqual([v3.version]);
    expect(state.confirmed).toContain(v2.version);
    expect(notes.join('\n')).toMatch(
      new RegExp(`rebuilt .*current: ${v2.version}; still blocked: ${v3.version}`),
    );
  });

  it('does not roll back the good current version after the restart', async () => {
    const { v2, v3 } = await afterARollback();
    await losePointer();
    live = await startLive({ contentDir: content, store, seedOnly: true, confirmMs: 100 }, errors);
    expect(caption(live)).toBe('Caption 2');
    // Long past the confirm time, with nobody drawing: a version on trial would be rolled back now.
    await sleep(400);
    await live.poll();
    expect(caption(live)).toBe('Caption 2');
    const state = await readState(store);
    expect(state.current).toBe(v2.version);
    expect(state.rolledBack).toContain(v3.version);
    expect(state.history.filter((h) => h.action === 'auto-rollback')).toEqual([]);
    expect(errors.join('\n')).toMatch(/current\.json is damaged/);
  });
});
