/**
 * Safe extraction of content packages. Nothing is written until the whole
 * package has been judged from its central directory and its manifest, which
 * is read first: every entry name is checked ("zip-slip": `../`, absolute
 * paths, drive letters, symbolic links), every entry must be listed in the
 * manifest with the size it really has, sizes and compression ratios are
 * capped, and the disk must have room for all of it. Each file's SHA-256 is
 * computed as it is written and checked against the manifest, and no entry
 * may write more bytes than the manifest promised.
 *
 * A disk that fills up is not the package's fault: that is reported as
 * {@link PackageNoSpace}, so the package can be kept and tried again, while
 * every other refusal is a {@link ContentError} saying what is wrong with it.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, statfs, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { ContentError, EXIT } from './errors.js';
import { Manifest, MANIFEST_FILE } from './manifest.js';

/** The signature of `manifest.json` in a signed package (see signing.ts). */
export const SIGNATURE_FILE = 'manifest.sig';

/** Limits that keep a broken or hostile package from filling the disk. */
const ZIP_LIMITS = {
  maxEntries: 20_000,
  /** All files together, uncompressed. */
  maxTotalBytes: 8 * 1024 ** 3,
  /** One file, uncompressed: a long film in good quality. */
  maxEntryBytes: 2 * 1024 ** 3,
  /** `manifest.json` (and its signature): a few hundred bytes per file. */
  maxManifestBytes: 16 * 1024 ** 2,
  /**
   * Uncompressed size over compressed size above which a file looks like a
   * zip bomb. Pictures and sound are stored already compressed and text packs
   * perhaps 10:1; a run of zeros deflates about 1000:1.
   */
  maxRatio: 100,
  /** Files smaller than this are not held to {@link ZIP_LIMITS.maxRatio}: a tiny file can do no harm. */
  ratioFloorBytes: 1024 ** 2,
  /** Room left free on the disk after extracting, so the kiosk's logs and settings can still be written. */
  reserveBytes: 64 * 1024 ** 2,
} as const;

/** Limits for one call of {@link extractPackage}; tests lower them. */
export type ZipLimits = { -readonly [K in keyof typeof ZIP_LIMITS]: number };

/**
 * Raised when the disk has no room for a package: before extracting (free
 * space too small) or while writing (`ENOSPC`, `EDQUOT`). The package itself
 * may be fine, so it must be kept and tried again once there is room, not
 * moved to `rejected/`. Its exit code is 2 ("the command could not run").
 */
export class PackageNoSpace extends ContentError {
  /** A stable code the inbox and the staff panel can act on. */
  readonly code = 'PACKAGE_NO_SPACE';
  constructor(
    message: string,
    /** Bytes the package needs (with the reserve), when known. */
    readonly neededBytes?: number,
    /** Bytes that were free, when known. */
    readonly freeBytes?: number,
  ) {
    super(message, EXIT.usage);
  }
}

/** True when `err` is a {@link PackageNoSpace}, even from another copy of this module. */
export function isPackageNoSpace(err: unknown): err is PackageNoSpace {
  return (err as { code?: unknown } | null)?.code === 'PACKAGE_NO_SPACE';
}

/** The file-system calls extraction makes that can fail for reasons outside the package; tests replace them. */
export interface ExtractFs {
  statfs(dir: string): Promise<{ bavail: number | bigint; bsize: number | bigint }>;
  createWriteStream(file: string, opts: { flags: string; mode: number }): Writable;
}

const realFs: ExtractFs = {
  statfs: (dir) => statfs(dir),
  createWriteStream: (file, opts) => createWriteStream(file, opts),
};

/** Options for {@link extractPackage}. */
export interface ExtractOptions {
  onFile?: (done: number, total: number, name: string) => void;
  limits?: Partial<ZipLimits>;
  fs?: Partial<ExtractFs>;
  /**
   * Called with the manifest's exact bytes and the package's signature (if it
   * has one) before anything is written; throwing refuses the package. This
   * is where a kiosk that only takes signed content checks the signature
   * (`requireSignature` in signing.ts).
   */
  checkManifest?: (manifestBytes: Buffer, signature: Buffer | undefined) => void | Promise<void>;
}

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
async function listEntries(zip: ZipFile, maxEntries: number): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: Entry[] = [];
    zip.on('entry', (e: Entry) => {
      entries.push(e);
      if (entries.length > maxEntries) {
        reject(new ContentError(`rejected: the package has more than ${maxEntries} files`));
        return;
      }
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', reject);
    zip.readEntry();
  });
}

/** Reads one entry whole, refusing it once it passes `max` bytes. */
async function readEntryBytes(zip: ZipFile, entry: Entry, max: number): Promise<Buffer> {
  const stream = await openEntry(zip, entry);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      throw new ContentError(`rejected: "${decodeName(entry)}" is larger than ${max} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const openEntry = (zip: ZipFile, entry: Entry) =>
  new Promise<NodeJS.ReadableStream>((resolve, reject) =>
    zip.openReadStream(entry, (err, s) => (err || !s ? reject(err ?? new Error('no stream')) : resolve(s))),
  );

/** A package whose central directory and manifest have been read and judged; nothing written yet. */
export interface InspectedPackage {
  zip: ZipFile;
  manifest: Manifest;
  /** `manifest.json` exactly as packed: what a signature covers. */
  manifestBytes: Buffer;
  /** `manifest.sig`, when the package is signed. */
  signature?: Buffer;
  /** The content files, each listed in the manifest with the size its entry has. */
  files: { name: string; entry: Entry; size: number; sha256: string }[];
  /** Sum of the content files' sizes. */
  totalBytes: number;
}

const MiB = (n: number) => `${Math.round(n / 1024 ** 2)} MiB`;

/**
 * Opens a package and judges it before a byte is written: safe names, no
 * duplicates, a valid manifest read first, every entry listed in it with its
 * true size, nothing listed missing, and sizes and compression ratios within
 * `limits`. The caller closes `zip`.
 */
export async function inspectPackage(
  file: string,
  limits: ZipLimits = ZIP_LIMITS,
): Promise<InspectedPackage> {
  const base = path.basename(file);
  let zip: ZipFile;
  try {
    zip = await openZip(file);
  } catch {
    throw new ContentError(
      `rejected: ${base} is not a zip package, or it was cut short while copying; copy it again or pack it anew`,
    );
  }
  try {
    const entries = await listEntries(zip, limits.maxEntries).catch((err: unknown) => {
      if (err instanceof ContentError) throw err;
      throw new ContentError(`${base} is damaged (${(err as Error).message})`);
    });
    const byName = new Map<string, Entry>();
    const seen = new Set<string>();
    for (const e of entries) {
      const name = decodeName(e);
      const reason = unsafeEntryReason(name, e.externalFileAttributes);
      if (reason)
        throw new ContentError(`rejected: the package entry "${name}" ${reason}; nothing was installed`);
      const key = name.replace(/\/$/, '').toLowerCase();
      if (seen.has(key)) throw new ContentError(`rejected: the package holds "${name}" twice`);
      seen.add(key);
      if (!name.endsWith('/')) byName.set(name, e);
    }

    const manifestEntry = byName.get(MANIFEST_FILE);
    if (!manifestEntry)
      throw new ContentError(
        `rejected: ${base} has no readable ${MANIFEST_FILE}; make it with "content pack"`,
      );
    const readSmall = (entry: Entry) =>
      readEntryBytes(zip, entry, limits.maxManifestBytes).catch((err: unknown) => {
        if (err instanceof ContentError) throw err;
        throw new ContentError(`${base} is damaged at "${decodeName(entry)}" (${(err as Error).message})`);
      });
    const manifestBytes = await readSmall(manifestEntry);
    let raw: unknown;
    try {
      raw = JSON.parse(manifestBytes.toString('utf8'));
    } catch {
      throw new ContentError(
        `rejected: ${base} has no readable ${MANIFEST_FILE}; make it with "content pack"`,
      );
    }
    const parsed = Manifest.safeParse(raw);
    if (!parsed.success) throw new ContentError(`rejected: the ${MANIFEST_FILE} of ${base} is not valid`);
    const manifest = parsed.data;
    const sigEntry = byName.get(SIGNATURE_FILE);
    const signature = sigEntry ? await readSmall(sigEntry) : undefined;

    const files: InspectedPackage['files'] = [];
    let totalBytes = 0;
    for (const [name, entry] of byName) {
      if (name === MANIFEST_FILE || name === SIGNATURE_FILE) continue;
      const want = Object.hasOwn(manifest.files, name) ? manifest.files[name] : undefined;
      if (!want) throw new ContentError(`rejected: "${name}" is in the package but not in its manifest`);
      if (entry.uncompressedSize !== want.size) {
        throw new ContentError(
          `rejected: "${name}" does not match its SHA-256 in the manifest (it unpacks to ${entry.uncompressedSize} bytes, the manifest says ${want.size}); copy the package again or pack it anew`,
        );
      }
      if (want.size > limits.maxEntryBytes) {
        throw new ContentError(`rejected: "${name}" unpacks to more than ${MiB(limits.maxEntryBytes)}`);
      }
      if (
        want.size > limits.ratioFloorBytes &&
        want.size / Math.max(1, entry.compressedSize) > limits.maxRatio
      ) {
        throw new ContentError(
          `rejected: "${name}" is compressed ${Math.round(want.size / Math.max(1, entry.compressedSize))} to 1 (${MiB(want.size)} from ${entry.compressedSize} bytes), which only a zip bomb is; pack the content anew with "content pack"`,
        );
      }
      totalBytes += want.size;
      if (totalBytes > limits.maxTotalBytes) {
        throw new ContentError(`rejected: the package unpacks to more than ${MiB(limits.maxTotalBytes)}`);
      }
      files.push({ name, entry, size: want.size, sha256: want.sha256 });
    }
    const missing = Object.keys(manifest.files).find((name) => !byName.has(name));
    if (missing) {
      throw new ContentError(
        `rejected: "${missing}" is listed in the manifest but missing from the package; copy the package again or pack it anew`,
      );
    }
    return { zip, manifest, manifestBytes, signature, files, totalBytes };
  } catch (err) {
    zip.close();
    throw err;
  }
}

const isNoSpace = (err: unknown) => {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
};

/**
 * Extracts `file` into the empty folder `dest`. The package is judged first
 * ({@link inspectPackage}); a refusal throws a {@link ContentError} naming
 * what is wrong, having written nothing. Then free space is checked, and each
 * file is written, hashed and checked against the manifest. A full disk
 * throws {@link PackageNoSpace}. `manifest.json` is written too (the store
 * keeps it with the version) and is in the result; `manifest.sig` is written
 * but not listed, as it is about the package, not part of its content.
 */
export async function extractPackage(
  file: string,
  dest: string,
  onFileOrOptions?: ExtractOptions['onFile'] | ExtractOptions,
): Promise<ExtractedFile[]> {
  const opts: ExtractOptions =
    typeof onFileOrOptions === 'function' ? { onFile: onFileOrOptions } : (onFileOrOptions ?? {});
  const limits: ZipLimits = { ...ZIP_LIMITS, ...opts.limits };
  const fs: ExtractFs = { ...realFs, ...opts.fs };
  const base = path.basename(file);
  const pkg = await inspectPackage(file, limits);
  try {
    await opts.checkManifest?.(pkg.manifestBytes, pkg.signature);

    const needed = pkg.totalBytes + pkg.manifestBytes.length + limits.reserveBytes;
    const space = await fs.statfs(dest).catch((err: unknown) => {
      throw new ContentError(`cannot tell how much room ${dest} has (${(err as Error).message})`, EXIT.usage);
    });
    const free = Number(space.bavail) * Number(space.bsize);
    if (free < needed) {
      throw new PackageNoSpace(
        `not enough room on the disk for ${base}: it needs ${MiB(needed)} (with ${MiB(limits.reserveBytes)} kept free) and ${MiB(free)} is free; the package is kept and tried again once there is room`,
        needed,
        free,
      );
    }
    const noSpace = (err: unknown) =>
      new PackageNoSpace(
        `the disk filled up while unpacking ${base} (${(err as Error).message}); the package is kept and tried again once there is room`,
        needed,
        free,
      );

    try {
      await writeFile(path.join(dest, MANIFEST_FILE), pkg.manifestBytes, { flag: 'wx', mode: 0o644 });
      if (pkg.signature)
        await writeFile(path.join(dest, SIGNATURE_FILE), pkg.signature, { flag: 'wx', mode: 0o644 });
    } catch (err) {
      throw isNoSpace(err) ? noSpace(err) : err;
    }
    const out: ExtractedFile[] = [
      {
        name: MANIFEST_FILE,
        size: pkg.manifestBytes.length,
        sha256: createHash('sha256').update(pkg.manifestBytes).digest('hex'),
      },
    ];
    for (const [i, f] of pkg.files.entries()) {
      const target = path.join(dest, ...f.name.split('/'));
      const hash = createHash('sha256');
      let size = 0;
      const tap = new Transform({
        transform(chunk: Buffer, _enc, done) {
          size += chunk.length;
          // The central directory could lie about the size: the manifest's figure is the hard stop.
          if (size > f.size) {
            done(new ContentError(`rejected: "${f.name}" holds more bytes than its manifest says`));
            return;
          }
          hash.update(chunk);
          done(null, chunk);
        },
      });
      try {
        await mkdir(path.dirname(target), { recursive: true });
        const stream = await openEntry(pkg.zip, f.entry);
        // 'wx': a file is never written over, so nothing can be planted twice.
        await pipeline(stream, tap, fs.createWriteStream(target, { flags: 'wx', mode: 0o644 }));
      } catch (err) {
        if (isNoSpace(err)) throw noSpace(err);
        if (err instanceof ContentError) throw err;
        throw new ContentError(`${base} is damaged at "${f.name}" (${(err as Error).message})`);
      }
      const sha256 = hash.digest('hex');
      if (size !== f.size || sha256 !== f.sha256) {
        throw new ContentError(
          `rejected: "${f.name}" does not match its SHA-256 in the manifest (damaged or changed after packing); copy the package again or pack it anew`,
        );
      }
      out.push({ name: f.name, size, sha256 });
      opts.onFile?.(i + 1, pkg.files.length, f.name);
    }
    return out;
  } finally {
    pkg.zip.close();
  }
}
