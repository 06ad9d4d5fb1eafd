/**
 * Replaces a small file so that a crash or a power cut at any instant leaves
 * either the whole old file or the whole new one, never a mix or a stub.
 */
import { randomBytes } from 'node:crypto';
import * as fsPromises from 'node:fs/promises';
import path from 'node:path';

/** The parts of `node:fs/promises` the write uses; tests pass a failing one. */
export type AtomicWriteFs = Pick<typeof fsPromises, 'open' | 'rename' | 'rm'>;

/** Options for {@link writeFileAtomic}. */
export interface AtomicWriteOptions {
  /** File mode of the new file (e.g. `0o600` for secrets); the default is 0o666 less the umask. */
  mode?: number;
  /** The file system to use; `node:fs/promises` unless a test injects one. */
  fs?: AtomicWriteFs;
}

// Windows refuses to replace a file that another process is reading at that instant; it passes.
const RENAME_BUSY = new Set(['EPERM', 'EBUSY', 'EACCES']);
const RENAME_ATTEMPTS = 20;
const RENAME_RETRY_MS = 50;

/**
 * Writes `data` to `file` atomically: into a temp file in the same folder,
 * flushed to disk, renamed over `file`, then the folder flushed so the rename
 * itself survives a power cut. On any failure the temp file is removed and
 * `file` is left exactly as it was. The folder must exist.
 */
export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  opts: AtomicWriteOptions = {},
): Promise<void> {
  const fs = opts.fs ?? fsPromises;
  const dir = path.dirname(file);
  // Same folder, so the rename never crosses file systems; a random part, so two writers never share it.
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await fs.open(tmp, 'wx', opts.mode ?? 0o666);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await renameRetrying(fs, tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
  await syncFolderWith(fs, dir);
}

async function renameRetrying(fs: AtomicWriteFs, from: string, to: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await fs.rename(from, to);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (process.platform !== 'win32' || attempt >= RENAME_ATTEMPTS || !RENAME_BUSY.has(code)) throw err;
      await new Promise((resolve) => setTimeout(resolve, RENAME_RETRY_MS));
    }
  }
}

/**
 * Flushes the folder's entry list, so the rename is on disk too. Best effort:
 * Windows cannot open a folder for this, and some file systems refuse to sync
 * one; the new file is in place either way.
 */
async function syncFolderWith(fs: AtomicWriteFs, dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  try {
    const handle = await fs.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // See above: the write itself has succeeded.
  }
}

/** Flushes a folder's entry list to disk (best effort, see above), e.g. after a rename into it. */
export function syncFolder(dir: string): Promise<void> {
  return syncFolderWith(fsPromises, dir);
}

/**
 * Flushes every file under `root`, then every folder bottom-up, so a tree
 * written by ordinary writes (an unpacked package) is whole on disk before a
 * pointer to it is swapped in. Files must be flushed; folders are best effort.
 */
export async function syncTree(root: string): Promise<void> {
  const entries = await fsPromises.readdir(root, { withFileTypes: true });
  for (const e of entries) {
    const full = path.join(root, e.name);
    if (e.isDirectory()) await syncTree(full);
    else if (e.isFile()) {
      const handle = await fsPromises.open(full, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
  }
  await syncFolder(root);
}
