/**
 * Reads a small file that anyone with write access to its folder could have
 * replaced: a cache or a lock's owner note. It never follows a symlink, never
 * blocks on a FIFO or a device, and never reads more than a few kilobytes.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

/** The largest file {@link readSmallRegularFile} reads by default. */
const SMALL_FILE_MAX_BYTES = 8 * 1024;

/**
 * The text of `file` when it is a regular file of at most `maxBytes`, opened
 * without following a symlink (where the system can refuse one) and without
 * blocking; undefined when it is absent, a symlink, a FIFO, a folder, a device,
 * too large or unreadable. Never throws.
 */
export async function readSmallRegularFile(
  file: string,
  maxBytes: number = SMALL_FILE_MAX_BYTES,
): Promise<string | undefined> {
  // O_NOFOLLOW and O_NONBLOCK are absent on Windows (undefined): there the plain open is all there is.
  const flags = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);
  let handle;
  try {
    handle = await open(file, flags);
  } catch {
    return undefined;
  }
  try {
    const s = await handle.stat();
    if (!s.isFile() || s.size > maxBytes) return undefined;
    const buffer = Buffer.alloc(maxBytes + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    // Grown since the stat: not the small file it was.
    if (bytesRead > maxBytes) return undefined;
    return buffer.subarray(0, bytesRead).toString('utf8');
  } catch {
    return undefined;
  } finally {
    await handle.close().catch(() => undefined);
  }
}
