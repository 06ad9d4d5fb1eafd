import * as fsPromises from 'node:fs/promises';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic, type AtomicWriteFs } from '../../main/common/atomic-write.js';

let dir: string;
let file: string;
const OLD = '{"current":"v1"}\n';
const NEW = `{"current":"v2","padding":"${'x'.repeat(64 * 1024)}"}\n`;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'vitrine-atomic-'));
  file = path.join(dir, 'current.json');
  await writeFile(file, OLD);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected`), { code });
}

/** The real file system, except that the temp file's handle fails as `fail` says, after writing half the data. */
function failingFs(fail: 'write' | 'sync' | 'rename'): AtomicWriteFs {
  return {
    rm: fsPromises.rm,
    rename: async (from, to) => {
      if (fail === 'rename') throw errno('EXDEV');
      return fsPromises.rename(from, to);
    },
    open: (async (target: string, flags?: string, mode?: number) => {
      const handle = await fsPromises.open(target, flags, mode);
      if (target === dir) return handle;
      return Object.assign(Object.create(handle) as fsPromises.FileHandle, {
        writeFile: async (data: string) => {
          if (fail !== 'write') return handle.writeFile(data);
          // The disk fills up half-way through the new text.
          await handle.write(data.slice(0, data.length / 2));
          throw errno('ENOSPC');
        },
        sync: async () => {
          if (fail === 'sync') throw errno('EIO');
          return handle.sync();
        },
        close: () => handle.close(),
      });
    }) as AtomicWriteFs['open'],
  };
}

describe('writeFileAtomic', () => {
  it('replaces the file with the new text and leaves nothing else in the folder', async () => {
    await writeFileAtomic(file, NEW);
    expect(await readFile(file, 'utf8')).toBe(NEW);
    expect(await readdir(dir)).toEqual(['current.json']);
  });

  it('creates a file that did not exist, with the mode asked for', async () => {
    const secret = path.join(dir, 'staff.json');
    await writeFileAtomic(secret, '{"pinHash":"x"}\n', { mode: 0o600 });
    expect(await readFile(secret, 'utf8')).toBe('{"pinHash":"x"}\n');
    if (process.platform !== 'win32') expect((await stat(secret)).mode & 0o777).toBe(0o600);
  });

  it.each([
    ['the disk fills up half-way through the write', 'write', 'ENOSPC'],
    ['flushing the new file to disk fails', 'sync', 'EIO'],
    ['the rename fails', 'rename', 'EXDEV'],
  ] as const)('when %s, the old file survives whole and no temp file is left', async (_what, fail, code) => {
    await expect(writeFileAtomic(file, NEW, { fs: failingFs(fail) })).rejects.toMatchObject({ code });
    expect(await readFile(file, 'utf8')).toBe(OLD);
    expect(await readdir(dir)).toEqual(['current.json']);
  });
});
