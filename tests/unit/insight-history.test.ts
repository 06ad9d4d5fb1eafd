import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  HISTORY_FILE,
  openContentHistory,
  readContentHistory,
  verifyContentHistory,
} from '../../main/insight/content-history.js';

async function withThree() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-history-'));
  const history = await openContentHistory(dir);
  await history.record({ at: '2026-03-01T09:00:00.000Z', version: 'v1', how: 'folder', source: '/exhibit' });
  // The same version again (a restart) adds nothing.
  await history.record({ at: '2026-03-01T10:00:00.000Z', version: 'v1', how: 'folder' });
  await history.record({
    at: '2026-03-02T09:00:00.000Z',
    version: 'v2',
    how: 'inbox',
    source: 'inbox a.zip',
  });
  // Reopened, the chain continues from the file.
  const reopened = await openContentHistory(dir);
  await reopened.record({ at: '2026-03-03T09:00:00.000Z', version: 'v1', how: 'rollback' });
  const file = path.join(dir, HISTORY_FILE);
  return { dir, file, lines: (await readFile(file, 'utf8')).trimEnd().split('\n') };
}

describe('content history', () => {
  it('chains every line to the one before and verifies whole', async () => {
    const { dir, lines } = await withThree();
    expect(lines).toHaveLength(3);
    expect(await verifyContentHistory(dir)).toEqual({ ok: true, entries: 3 });
    expect((await readContentHistory(dir)).map((e) => `${e.version}:${e.how}`)).toEqual([
      'v1:folder',
      'v2:inbox',
      'v1:rollback',
    ]);
  });

  it('finds an edited entry: the line after it no longer follows', async () => {
    const { dir, file, lines } = await withThree();
    lines[1] = lines[1]!.replace('"v2"', '"v9"');
    await writeFile(file, `${lines.join('\n')}\n`);
    expect(await verifyContentHistory(dir)).toMatchObject({ ok: false, line: 3 });
  });

  it('finds a removed entry, in the middle or at the start', async () => {
    const { dir, file, lines } = await withThree();
    await writeFile(file, `${[lines[0], lines[2]].join('\n')}\n`);
    expect(await verifyContentHistory(dir)).toMatchObject({ ok: false, line: 2 });
    await writeFile(file, `${lines.slice(1).join('\n')}\n`);
    expect(await verifyContentHistory(dir)).toMatchObject({ ok: false, line: 1 });
  });
});
