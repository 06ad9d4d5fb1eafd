/**
 * Safe extraction of content packages. Every entry name is checked before a
 * single byte is written ("zip-slip": `../`, absolute paths, drive letters,
 * symbolic links), sizes are capped, and each file's SHA-256 is computed as
 * it is written so it can be checked against the manifest.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { ContentError } from './errors.js';

/** Limits that keep a broken or hostile package from filling the disk. */
const ZIP_LIMITS = { maxEntries: 20_000, maxTotalBytes: 8 * 1024 ** 3 } as const;

/** One file taken out of a package. */
export interface ExtractedFile {
  name: string;
  size: number;
  sha256: string;
}

/** Why an entry name is refused, or undefined if it is safe. */
export function unsafeEntryReason(name: string, externalAttributes = 0): string | undefined {
  const unixMode = (externalAttributes >>> 16) & 0o170000;
  if (unixMode === 0o120000) return 'is a symbolic link';
  if (name.includes('\0')) return 'has a NUL character in its name';
  if (name.includes('\\')) return 'uses backslashes in its path';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'has an absolute path';
  if (name.split('/').some((seg) => seg === '..')) return 'climbs out of the package with ".."';
  return undefined;
}

const openZip = (file: string) =>
  new Promise<ZipFile>((resolve, reject) =>
    // Names are decoded and checked by us, so yauzl's own checks (which throw less helpful errors) are off.
    yauzl.open(
      file,
      { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: false },
      (err, zip) => (err || !zip ? reject(err ?? new Error('no zip')) : resolve(zip)),
    ),
  );

const decodeName = (entry: Entry): string => {
  const raw = entry.fileName as unknown as Buffer;
  return Buffer.isBuffer(raw) ? raw.toString('utf8') : String(raw);
};

/** Reads the central directory: every entry, before anything is written. */
async function listEntries(zip: ZipFile): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: Entry[] = [];
    zip.on('entry', (e: Entry) => {
      entries.push(e);
      if (entries.length > ZIP_LIMITS.maxEntries) {
        reject(new ContentError(`the package has more than ${ZIP_LIMITS.maxEntries} files`));
        return;
      }
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', reject);
    zip.readEntry();
  });
}

/**
 * Extracts `file` into the empty folder `dest`. Throws a {@link ContentError}
 * naming the first unsafe entry, without writing anything, if any entry is
 * unsafe. `onFile` reports progress.
 */
export async function extractPackage(
  file: string,
  dest: string,
  onFile?: (done: number, total: number, name: string) => void,
): Promise<ExtractedFile[]> {
  let zip: ZipFile;
  try {
    zip = await openZip(file);
  } catch {
    throw new ContentError(
      `rejected: ${path.basename(file)} is not a zip package, or it was cut short while copying; copy it again or pack it anew`,
    );
  }
  try {
    const entries = await listEntries(zip).catch((err: unknown) => {
      if (err instanceof ContentError) throw err;
      throw new ContentError(`${path.basename(file)} is damaged (${(err as Error).message})`);
    });
    const seen = new Set<string>();
    let total = 0;
    for (const e of entries) {
      const name = decodeName(e);
      const reason = unsafeEntryReason(name, e.externalFileAttributes);
      if (reason)
        throw new ContentError(`rejected: the package entry "${name}" ${reason}; nothing was installed`);
      const key = name.replace(/\/$/, '').toLowerCase();
      if (seen.has(key)) throw new ContentError(`rejected: the package holds "${name}" twice`);
      seen.add(key);
      total += e.uncompressedSize;
      if (total > ZIP_LIMITS.maxTotalBytes) {
        throw new ContentError(
          `rejected: the package unpacks to more than ${ZIP_LIMITS.maxTotalBytes / 1024 ** 3} GiB`,
        );
      }
    }
    const files = entries.filter((e) => !decodeName(e).endsWith('/'));
    const out: ExtractedFile[] = [];
    for (const [i, e] of files.entries()) {
      const name = decodeName(e);
      const target = path.join(dest, ...name.split('/'));
      await mkdir(path.dirname(target), { recursive: true });
      const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) =>
        zip.openReadStream(e, (err, s) => (err || !s ? reject(err ?? new Error('no stream')) : resolve(s))),
      );
      const hash = createHash('sha256');
      let size = 0;
      const tap = new Transform({
        transform(chunk: Buffer, _enc, done) {
          hash.update(chunk);
          size += chunk.length;
          done(null, chunk);
        },
      });
      try {
        // 'wx': a file is never written over, so nothing can be planted twice.
        await pipeline(stream, tap, createWriteStream(target, { flags: 'wx', mode: 0o644 }));
      } catch (err) {
        throw new ContentError(`${path.basename(file)} is damaged at "${name}" (${(err as Error).message})`);
      }
      out.push({ name, size, sha256: hash.digest('hex') });
      onFile?.(i + 1, files.length, name);
    }
    return out;
  } finally {
    zip.close();
  }
}
