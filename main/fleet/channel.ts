/**
 * `channel.json`: what a publisher puts on a plain web server (nginx, S3,
 * IIS) beside a content package, and what following kiosks poll. It names the
 * package file, its size and SHA-256, and carries an Ed25519 signature over
 * those, so a kiosk refuses a changed or foreign package before it even
 * downloads it; the package's own signed manifest is checked again after.
 */
import { sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { keyId } from '../content/signing.js';

/** The file name of a channel's description, in the channel's folder. */
export const CHANNEL_FILE = 'channel.json';

/** A channel name: a folder name on the web server (`pilot`, `all`, `floor-2`). */
export const ChannelName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'a channel name is lower-case letters, digits, ".", "_" or "-"');

/** What `channel.json` holds. */
export const ChannelFile = z.strictObject({
  format: z.literal('vitrine-channel'),
  formatVersion: z.literal(1),
  /** The channel's name (its folder). */
  channel: ChannelName,
  /** The exhibit's id and its own `version` field. */
  exhibitId: z.string().min(1).max(200),
  contentVersion: z.string().min(1).max(100),
  /** The store's version id of the package (the same id `content pack` prints). */
  version: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,119}$/),
  /** The package's file name, beside `channel.json`; never a path. */
  package: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,199}\.zip$/),
  size: z.int().positive(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Ed25519 over {@link signedText}, base64, and the id of the key that made it. */
  signature: z.strictObject({ keyId: z.string().max(64), value: z.string().min(1).max(200) }),
  /** The oldest kiosk software that can show this content. */
  minKioskVersion: z.string().regex(/^\d+(?:\.\d+){0,3}$/),
  publishedAt: z.iso.datetime(),
});
/** See {@link ChannelFile}. */
export type ChannelFile = z.infer<typeof ChannelFile>;

/** The exact text the channel signature covers: every field that says which bytes to install. */
function signedText(c: Pick<ChannelFile, 'channel' | 'version' | 'package' | 'size' | 'sha256'>): Buffer {
  return Buffer.from(`vitrine-channel:1:${c.channel}:${c.version}:${c.package}:${c.size}:${c.sha256}`);
}

/** The signature field for a channel description. */
export function signChannel(
  c: Pick<ChannelFile, 'channel' | 'version' | 'package' | 'size' | 'sha256'>,
  privateKey: KeyObject,
): ChannelFile['signature'] {
  return { keyId: keyId(privateKey), value: sign(null, signedText(c), privateKey).toString('base64') };
}

/** True when one of `publicKeys` made the channel's signature. */
export function channelSignedBy(c: ChannelFile, publicKeys: readonly KeyObject[]): boolean {
  const sig = Buffer.from(c.signature.value, 'base64');
  return publicKeys.some((key) => verify(null, signedText(c), key, sig));
}

/** Parses the body of a `channel.json` response; a one-line reason when it is not one. */
export function parseChannel(
  text: string,
): { ok: true; channel: ChannelFile } | { ok: false; reason: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, reason: `not JSON (it starts "${text.slice(0, 40).replace(/\s+/g, ' ')}")` };
  }
  const parsed = ChannelFile.safeParse(raw);
  if (parsed.success) return { ok: true, channel: parsed.data };
  const issue = parsed.error.issues[0];
  return {
    ok: false,
    reason: `not a Vitrine channel: ${issue?.path.join('.') || 'file'}: ${issue?.message ?? 'invalid'}`,
  };
}

/**
 * Compares dotted version numbers (`0.10.1` after `0.9`): negative, zero or
 * positive like a sort comparator.
 */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}
