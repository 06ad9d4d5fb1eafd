/**
 * Signed content packages. A museum makes one Ed25519 key pair
 * (`content keygen`), keeps the private key on the machine that packs, and
 * gives kiosks the public key. `content pack --key FILE` signs the exact bytes
 * of `manifest.json` and stores the signature as `manifest.sig` in the
 * package; the manifest holds every file's SHA-256, so a good signature vouches
 * for every byte. A kiosk given public keys installs only packages signed by
 * one of them.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { chmod, mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ContentError, EXIT } from './errors.js';
import { inspectPackage, SIGNATURE_FILE, type ExtractOptions } from './zip-extract.js';

export { SIGNATURE_FILE };

/** File names `content keygen` writes. */
export const KEY_FILES = { private: 'vitrine-content.key', public: 'vitrine-content.pub' } as const;

/** What `manifest.sig` holds (JSON). */
interface SignatureFile {
  format: 'vitrine-signature';
  algorithm: 'ed25519';
  /** {@link keyId} of the signing key, so staff can tell which key signed. */
  keyId: string;
  /** Base64 Ed25519 signature over the exact bytes of `manifest.json`. */
  signature: string;
}

/** The outcome of checking a package's signature, with a reason staff can read. */
export type SignatureCheck =
  | { status: 'ok'; keyId: string }
  | { status: 'unsigned'; reason: string }
  | { status: 'bad-signature'; reason: string };

/** A short name for a public key: `ed25519:` and 16 hex digits of the SHA-256 of its SPKI form. */
export function keyId(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  const der = pub.export({ type: 'spki', format: 'der' });
  return `ed25519:${createHash('sha256').update(der).digest('hex').slice(0, 16)}`;
}

/** A fresh Ed25519 key pair as PEM text (PKCS#8 private, SPKI public). */
export function generateSigningKeys(): { privateKeyPem: string; publicKeyPem: string; keyId: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: keyId(publicKey),
  };
}

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

/**
 * Writes a new key pair into `dir`: the private key readable by its owner only
 * (mode 0600), the public key for kiosks. Never replaces an existing key
 * unless `force`: a lost private key means re-keying every kiosk.
 */
export async function writeKeyPair(
  dir: string,
  opts: { force?: boolean } = {},
): Promise<{ privateKeyFile: string; publicKeyFile: string; keyId: string }> {
  const privateKeyFile = path.join(path.resolve(dir), KEY_FILES.private);
  const publicKeyFile = path.join(path.resolve(dir), KEY_FILES.public);
  if (!opts.force) {
    for (const f of [privateKeyFile, publicKeyFile]) {
      if (await exists(f)) {
        throw new ContentError(
          `${f} already exists; keep using it, or add --force to replace it (kiosks holding the old public key will then refuse new packages)`,
          EXIT.usage,
        );
      }
    }
  }
  await mkdir(path.dirname(privateKeyFile), { recursive: true });
  const keys = generateSigningKeys();
  await writeFile(privateKeyFile, keys.privateKeyPem, { mode: 0o600, flag: opts.force ? 'w' : 'wx' });
  // A replaced file keeps its old mode: set it again.
  await chmod(privateKeyFile, 0o600);
  await writeFile(publicKeyFile, keys.publicKeyPem, { mode: 0o644, flag: opts.force ? 'w' : 'wx' });
  return { privateKeyFile, publicKeyFile, keyId: keys.keyId };
}

/** Reads a private key made by `content keygen`. Throws a one-line {@link ContentError} if it is not one. */
export function parsePrivateKey(pem: string | Buffer, source = 'the key file'): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new ContentError(
      `${source} is not a private key; use the .key file "content keygen" made`,
      EXIT.usage,
    );
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new ContentError(`${source} is not an Ed25519 key; make one with "content keygen"`, EXIT.usage);
  return key;
}

/**
 * Reads a public key: PEM text (the `.pub` file), or the base64 between its
 * BEGIN and END lines, as it may be pasted into `config.json`.
 */
export function parsePublicKey(text: string, source = 'the public key'): KeyObject {
  const trimmed = text.trim();
  let key: KeyObject;
  try {
    key = trimmed.startsWith('-----')
      ? createPublicKey(trimmed)
      : createPublicKey({
          key: Buffer.from(trimmed.replace(/\s+/g, ''), 'base64'),
          format: 'der',
          type: 'spki',
        });
  } catch {
    throw new ContentError(
      `${source} is not a public key; use the .pub file "content keygen" made`,
      EXIT.usage,
    );
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new ContentError(`${source} is not an Ed25519 public key`, EXIT.usage);
  return key;
}

/** The `manifest.sig` bytes for `manifestBytes`, exactly as they go into the package. */
export function signManifest(manifestBytes: Buffer, privateKey: KeyObject): Buffer {
  const file: SignatureFile = {
    format: 'vitrine-signature',
    algorithm: 'ed25519',
    keyId: keyId(privateKey),
    signature: sign(null, manifestBytes, privateKey).toString('base64'),
  };
  return Buffer.from(`${JSON.stringify(file, null, 2)}\n`);
}

/**
 * Checks `signature` (the bytes of `manifest.sig`, or undefined when the
 * package has none) over `manifestBytes` against `publicKeys`. Pure.
 */
export function checkManifestSignature(
  manifestBytes: Buffer,
  signature: Buffer | undefined,
  publicKeys: readonly KeyObject[],
): SignatureCheck {
  if (!signature) {
    return {
      status: 'unsigned',
      reason:
        'the package is not signed: pack it again with your key (npm run content -- pack … --key …; see the staff guide, section 13)',
    };
  }
  let file: Partial<SignatureFile>;
  try {
    file = JSON.parse(signature.toString('utf8')) as Partial<SignatureFile>;
  } catch {
    return { status: 'bad-signature', reason: `the package's ${SIGNATURE_FILE} is not readable` };
  }
  if (
    file?.format !== 'vitrine-signature' ||
    file.algorithm !== 'ed25519' ||
    typeof file.signature !== 'string'
  ) {
    return { status: 'bad-signature', reason: `the package's ${SIGNATURE_FILE} is not a Vitrine signature` };
  }
  const sig = Buffer.from(file.signature, 'base64');
  for (const key of publicKeys) {
    if (verify(null, manifestBytes, key, sig)) return { status: 'ok', keyId: keyId(key) };
  }
  const signer = typeof file.keyId === 'string' ? file.keyId.slice(0, 40) : 'an unknown key';
  const known = publicKeys.map(keyId);
  return {
    status: 'bad-signature',
    reason: known.includes(signer)
      ? `the manifest was changed after it was signed by ${signer}`
      : `signed by ${signer}, which this kiosk does not trust (it trusts ${known.join(', ') || 'no key'}), or changed after signing`,
  };
}

/**
 * Checks a package file completely without unpacking it: the signature over
 * `manifest.json`, then every file's SHA-256 against that signed manifest,
 * and nothing in the package that the manifest does not list.
 */
export async function verifyPackage(
  zipPath: string,
  publicKeys: readonly KeyObject[],
): Promise<SignatureCheck> {
  let pkg;
  try {
    pkg = await inspectPackage(zipPath);
  } catch (err) {
    if (err instanceof ContentError)
      return { status: 'bad-signature', reason: err.message.replace(/^rejected: /, '') };
    throw err;
  }
  try {
    const check = checkManifestSignature(pkg.manifestBytes, pkg.signature, publicKeys);
    if (check.status !== 'ok') return check;
    for (const f of pkg.files) {
      const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) =>
        pkg.zip.openReadStream(f.entry, (err, s) =>
          err || !s ? reject(err ?? new Error('no stream')) : resolve(s),
        ),
      );
      const hash = createHash('sha256');
      let size = 0;
      try {
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          size += chunk.length;
          if (size > f.size) break;
          hash.update(chunk);
        }
      } catch {
        size = -1;
      }
      if (size !== f.size || hash.digest('hex') !== f.sha256) {
        return {
          status: 'bad-signature',
          reason: `"${f.name}" does not match the signed manifest (changed after signing)`,
        };
      }
    }
    return check;
  } finally {
    pkg.zip.close();
  }
}

/**
 * The check a kiosk that holds public keys runs on every package before it
 * is unpacked: pass it as `checkManifest` to `extractPackage`. It refuses an
 * unsigned or badly signed package with a {@link ContentError} (exit 1, so
 * the inbox moves it to `rejected/` with the reason). The files' hashes are
 * then checked against the very manifest bytes whose signature passed.
 * With no keys it accepts everything, as a kiosk without keys always has.
 */
export function requireSignature(
  publicKeys: readonly KeyObject[],
): NonNullable<ExtractOptions['checkManifest']> {
  return (manifestBytes, signature) => {
    if (publicKeys.length === 0) return;
    const check = checkManifestSignature(manifestBytes, signature, publicKeys);
    if (check.status === 'ok') return;
    throw new ContentError(
      `rejected: this kiosk installs only signed packages, and ${check.reason}; nothing was installed`,
    );
  };
}
