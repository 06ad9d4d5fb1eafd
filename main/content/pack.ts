/**
 * `content pack DIR OUT`: a zip content package with `manifest.json` (the
 * content version and the SHA-256 of every file). Invalid content is never
 * packed.
 */
import type { KeyObject } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { isInside } from '../common/safe-path.js';
import { ContentError } from './errors.js';
import { hashContent, Manifest, MANIFEST_FILE, versionId } from './manifest.js';
import { silentProgress, type Progress } from './progress.js';
import { keyId, signManifest, SIGNATURE_FILE } from './signing.js';
import { validateContent, type ValidationReport } from './validate.js';

/** The file name extension of content packages. */
const PACKAGE_EXTENSION = '.vitrine.zip';

/** What {@link packContent} made. */
export interface PackResult {
  file: string;
  manifest: Manifest;
  version: string;
  report: ValidationReport;
  /** The signing key's id when the package was signed. */
  signedBy?: string;
}

/** Options for {@link packContent}. */
export interface PackOptions {
  /** Sign the manifest with this Ed25519 private key (`content pack --key FILE`); see signing.ts. */
  signWith?: KeyObject;
}

/**
 * Validates `dir` and writes its package to `out` (a file, or a folder to
 * put `<exhibit>-<version>.vitrine.zip` in). The zip is written under a
 * `.part` name and renamed at the end, so a watcher never takes half a file.
 */
export async function packContent(
  dir: string,
  out: string,
  progress: Progress = silentProgress,
  now: () => Date = () => new Date(),
  opts: PackOptions = {},
): Promise<PackResult> {
  const root = path.resolve(dir);
  const report = await validateContent(root);
  if (!report.ok || !report.exhibit) {
    const errors = report.problems.filter((p) => p.severity === 'error').length;
    const error = new ContentError(`not packed: the content has ${errors} error(s); fix them and pack again`);
    Object.assign(error, { report });
    throw error;
  }
  const files = await hashContent(root, (done, total, file) => progress.update(done, total * 2, file));
  const manifest: Manifest = {
    format: 'vitrine-content',
    formatVersion: 1,
    exhibitId: report.exhibit.id,
    contentVersion: report.exhibit.version,
    createdAt: now().toISOString(),
    files,
  };
  const version = versionId(manifest);
  let target = path.resolve(out);
  const isDir = await stat(target).then(
    (s) => s.isDirectory(),
    () => out.endsWith('/') || out.endsWith(path.sep),
  );
  if (isDir) target = path.join(target, `${manifest.exhibitId}-${version}${PACKAGE_EXTENSION}`);
  if (isInside(root, target)) {
    throw new ContentError('write the package outside the content folder, or it would pack itself', 2);
  }
  await mkdir(path.dirname(target), { recursive: true });

  const zip = new yazl.ZipFile();
  const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
  zip.addBuffer(manifestBytes, MANIFEST_FILE, { mtime: now() });
  // The signature covers these exact bytes, so the manifest is never re-serialised after signing.
  if (opts.signWith)
    zip.addBuffer(signManifest(manifestBytes, opts.signWith), SIGNATURE_FILE, { mtime: now() });
  const names = Object.keys(files);
  for (const rel of names) {
    // Already-compressed media gain nothing from deflate; store them to save time.
    const compress = /\.(ya?ml|json|vtt|svg|txt|md)$/i.test(rel);
    zip.addFile(path.join(root, rel), rel, { compress, mode: 0o100644 });
  }
  zip.end();
  const part = `${target}.part`;
  let written = 0;
  zip.outputStream.on('data', (chunk: Buffer) => {
    written += chunk.length;
    const total = Object.values(files).reduce((n, f) => n + f.size, 0) || 1;
    progress.update(
      names.length + Math.round((Math.min(written, total) / total) * names.length),
      names.length * 2,
      path.basename(target),
    );
  });
  try {
    await pipeline(zip.outputStream, createWriteStream(part));
    await rename(part, target);
  } catch (err) {
    await rm(part, { force: true });
    throw err;
  } finally {
    progress.done();
  }
  return { file: target, manifest, version, report, signedBy: opts.signWith && keyId(opts.signWith) };
}
