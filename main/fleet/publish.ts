/**
 * `content publish DIR --to OUT [--channel NAME] --key KEY`: the content
 * tool's `build`, `pack --key` and a `channel.json`, in one step, into
 * `OUT/NAME/`, a folder any web server can serve as it is. The package is
 * written first (under a temporary name, renamed when whole), `channel.json`
 * last and atomically, so a web server never hands a kiosk a description of a
 * package that is not all there.
 */
import type { KeyObject } from 'node:crypto';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../common/atomic-write.js';
import { buildContent, type BuildResult } from '../content/build.js';
import { ContentError, EXIT } from '../content/errors.js';
import { packContent, type PackResult } from '../content/pack.js';
import { silentProgress, type Progress } from '../content/progress.js';
import { fingerprintFile } from '../content/store.js';
import { CHANNEL_FILE, ChannelFile, ChannelName, signChannel } from './channel.js';

/** The channel every kiosk of a museum follows unless told otherwise. */
export const DEFAULT_CHANNEL = 'all';

/** How many older packages a channel folder keeps beside the current one (kiosks mid-download). */
const KEEP_OLD_PACKAGES = 2;

/** Options for {@link publishChannel}. */
export interface PublishOptions {
  /** The content folder. */
  dir: string;
  /** The web server's folder; the channel is `OUT/NAME/`. */
  out: string;
  channel?: string;
  /** The museum's private key (`content keygen`): kiosks install only what it signed. */
  key: KeyObject;
  /** The oldest kiosk software that can show this content. */
  minKioskVersion: string;
  now?: () => Date;
  progress?: Progress;
}

/** What {@link publishChannel} did. */
export interface PublishResult {
  channel: ChannelFile;
  channelFile: string;
  packageFile: string;
  pack: PackResult;
  build: BuildResult;
}

/** Builds, packs, signs and publishes a content folder to a channel. */
export async function publishChannel(opts: PublishOptions): Promise<PublishResult> {
  const now = opts.now ?? (() => new Date());
  const name = opts.channel ?? DEFAULT_CHANNEL;
  if (!ChannelName.safeParse(name).success) {
    throw new ContentError(
      `"${name}" cannot be a channel name: use lower-case letters, digits, ".", "_" or "-" (e.g. pilot, all)`,
      EXIT.usage,
    );
  }
  if (!/^\d+(?:\.\d+){0,3}$/.test(opts.minKioskVersion)) {
    throw new ContentError(
      `"${opts.minKioskVersion}" is not a kiosk version; write it like 0.1.0`,
      EXIT.usage,
    );
  }
  const folder = path.join(path.resolve(opts.out), name);
  await mkdir(folder, { recursive: true });
  const build = await buildContent(opts.dir, opts.progress ?? silentProgress);
  if (build.skipped.length > 0) {
    throw new ContentError(
      `not published: ${build.skipped.length} photo(s) could not be made screen-sized (${build.skipped[0]!.src}: ${build.skipped[0]!.reason})`,
    );
  }
  const pack = await packContent(opts.dir, `${folder}${path.sep}`, opts.progress ?? silentProgress, now, {
    signWith: opts.key,
  });
  const packageFile = pack.file;
  const fields = {
    channel: name,
    version: pack.version,
    package: path.basename(packageFile),
    size: (await stat(packageFile)).size,
    sha256: await fingerprintFile(packageFile),
  };
  const channel: ChannelFile = ChannelFile.parse({
    format: 'vitrine-channel',
    formatVersion: 1,
    exhibitId: pack.manifest.exhibitId,
    contentVersion: pack.manifest.contentVersion,
    ...fields,
    signature: signChannel(fields, opts.key),
    minKioskVersion: opts.minKioskVersion,
    publishedAt: now().toISOString(),
  });
  const channelFile = path.join(folder, CHANNEL_FILE);
  await writeFileAtomic(channelFile, `${JSON.stringify(channel, null, 2)}\n`);
  await pruneOldPackages(folder, fields.package);
  return { channel, channelFile, packageFile, pack, build };
}

/** Removes all but the newest few older packages: a kiosk mid-download may still want the last one. */
async function pruneOldPackages(folder: string, current: string): Promise<void> {
  const names = (await readdir(folder)).filter((n) => n.endsWith('.zip') && n !== current);
  const dated = await Promise.all(
    names.map(async (n) => ({
      n,
      t: (await stat(path.join(folder, n)).catch(() => undefined))?.mtimeMs ?? 0,
    })),
  );
  dated.sort((a, b) => b.t - a.t);
  for (const { n } of dated.slice(KEEP_OLD_PACKAGES)) await rm(path.join(folder, n), { force: true });
}
