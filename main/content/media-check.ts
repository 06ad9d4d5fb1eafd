/**
 * What only reading a whole picture can tell: its content fingerprint
 * (SHA-256), which ties screen copies to the exact original they were made
 * from, and whether every pixel decodes, which catches a copy cut short
 * halfway. Both are remembered per file while the file stays the same, so the
 * editors' preview, which validates every second or two, reads each picture
 * once rather than on every check.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import sharp from 'sharp';

/**
 * The largest original `content build` and the checks will read, in pixels:
 * sharp's own default, about 16384 × 16384. Larger needs gigabytes to decode.
 */
export const MAX_ORIGINAL_PIXELS = 0x3fff * 0x3fff;

/** How long one picture may take to decode before the check gives up on it, in seconds. */
const DECODE_SECONDS = 60;

interface Known {
  /** Identity of the file's current content as the file system sees it. */
  stamp: string;
  sha256?: Promise<string>;
  damage?: Promise<string | undefined>;
}

const known = new Map<string, Known>();
/** Files remembered at most; the oldest are forgotten first (a kiosk validates a new folder per install). */
const KNOWN_MAX = 2000;

/**
 * Device, inode, size, modification and change time. The change time (ctime)
 * cannot be set back by copying tools, unlike the modification time
 * (`cp -p` keeps an old one), so a replaced file always gets a new stamp.
 */
async function entryFor(file: string): Promise<Known> {
  const s = await stat(file);
  const stamp = `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
  const entry = known.get(file);
  if (entry?.stamp === stamp) return entry;
  const fresh: Known = { stamp };
  known.delete(file);
  known.set(file, fresh);
  if (known.size > KNOWN_MAX) known.delete(known.keys().next().value!);
  return fresh;
}

/** The SHA-256 of a file's bytes, as lower-case hex. */
export async function fileSha256(file: string): Promise<string> {
  const entry = await entryFor(file);
  entry.sha256 ??= new Promise<string>((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
  // A read that failed is not remembered: the next check tries again.
  entry.sha256.catch(() => {
    if (known.get(file) === entry) delete entry.sha256;
  });
  return entry.sha256;
}

/**
 * Decodes every pixel of a raster picture and returns why it could not,
 * or undefined when the whole picture is there. The picture is shrunk while
 * it streams through, so memory stays small even for a large scan; libvips
 * runs off the main thread, and a picture that takes longer than
 * {@link DECODE_SECONDS} counts as damaged.
 */
export async function decodeDamage(file: string): Promise<string | undefined> {
  const entry = await entryFor(file);
  entry.damage ??= sharp(file, {
    failOn: 'error',
    limitInputPixels: MAX_ORIGINAL_PIXELS,
    sequentialRead: true,
  })
    .resize(256, 256, { fit: 'inside' })
    .timeout({ seconds: DECODE_SECONDS })
    .raw()
    .toBuffer()
    .then(
      () => undefined,
      (err: Error) => err.message.split('\n')[0] ?? 'unknown fault',
    );
  return entry.damage;
}
