/**
 * `<userData>/config.json`: the few settings a museum's IT sets once per
 * kiosk, read here and nowhere else. A missing, empty or broken file never
 * stops the kiosk: the defaults apply and the reader says why.
 *
 * ```json
 * { "contentStore": "D:/vitrine/store", "inbox": "//server/share/vitrine",
 *   "recovery": { "maxFailures": 5, "windowMinutes": 10, "retryMinutes": 10, "retryMaxMinutes": 60 } }
 * ```
 */
import type { KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { parsePublicKey } from '../content/signing.js';
import { userDataDir } from './paths.js';

/** The config file's name in the user-data folder. */
const CONFIG_FILE = 'config.json';

/**
 * When the kiosk stops retrying and rests: after `maxFailures` failures of its
 * screen (crash, hang, failed load) within `windowMinutes`, it shows a calm
 * "Back soon" page and tries again after `retryMinutes`, doubling up to
 * `retryMaxMinutes`.
 */
const RecoverySettings = z.strictObject({
  maxFailures: z.int().min(2).max(100).optional(),
  windowMinutes: z
    .number()
    .min(1)
    .max(24 * 60)
    .optional(),
  retryMinutes: z
    .number()
    .min(1)
    .max(24 * 60)
    .optional(),
  retryMaxMinutes: z
    .number()
    .min(1)
    .max(7 * 24 * 60)
    .optional(),
});

/** What `config.json` may hold. Relative folders are resolved against the user-data folder. */
export const KioskConfig = z.strictObject({
  /** When the screen stops retrying and rests (see {@link RecoverySettings}); defaults: 5 in 10 min, retry 10 min to 1 h. */
  recovery: RecoverySettings.optional(),
  /** The content store: installed versions and rollback. Default `<userData>/content-store`. */
  contentStore: z.string().trim().min(1).optional(),
  /** The folder where content packages are dropped (USB stick, network share). Default: none. */
  inbox: z.string().trim().min(1).optional(),
  /** Whether the staff panel may leave kiosk mode ("Exit kiosk"). Default false: only a technician's config allows it. */
  allowExit: z.boolean().optional(),
  /** The address of a `channel.json` to follow (docs/fleet.md): new versions come from a web server. Default: none. */
  channel: z.url({ protocol: /^https?$/ }).optional(),
  /** A PEM file of extra CA certificates for the channel's server (a museum's own CA); relative to the user-data folder. */
  channelCa: z.string().trim().min(1).optional(),
  /** Ed25519 public keys (the `.pub` file's text, or the base64 inside it) whose signatures this kiosk trusts. */
  publicKeys: z.array(z.string().trim().min(40).max(2000)).max(20).optional(),
  /** Whether a package older than the version shown (by its content version, else its date) may replace it. Default false. */
  allowOlder: z.boolean().optional(),
  /** Prometheus metrics at `http://HOST:PORT/metrics` (docs/fleet.md); a host other than 127.0.0.1 needs a token. Default: off. */
  metrics: z
    .strictObject({
      port: z.int().min(1).max(65535),
      host: z.string().trim().min(1).optional(),
      token: z.string().min(16).max(200).optional(),
    })
    .optional(),
  /** Whether visits are counted (hourly aggregates, docs/privacy.md). Default "on". */
  insight: z.enum(['on', 'off']).optional(),
});
/** See {@link KioskConfig}. */
export type KioskConfig = z.infer<typeof KioskConfig>;

/** Why the defaults (all or some) apply instead of what `config.json` says. */
export interface ConfigNote {
  kind: 'missing' | 'empty' | 'unreadable' | 'invalid';
  file: string;
  /** One line for a log or a terminal. */
  message: string;
}

/** Receives {@link ConfigNote}s; `missing` is the normal case on most kiosks. */
export type ConfigNoteSink = (note: ConfigNote) => void;

/** A sink for terminals: prints what is wrong with the file, and nothing when there simply is none. */
export function printConfigProblems(print: (line: string) => void): ConfigNoteSink {
  return (note) => {
    if (note.kind !== 'missing') print(note.message);
  };
}

/** Reads the raw text; injected for tests. */
type ReadText = (file: string) => Promise<string>;

/**
 * Reads `<userData>/config.json`: once per process start, by the host; the
 * parsed settings are passed down from there. Never throws: a missing, empty, unreadable
 * or unparsable file gives the defaults (`{}`); an invalid setting is dropped
 * and the valid ones kept. Each case is reported to `onNote`.
 */
export async function readKioskConfig(
  userData: string,
  onNote: ConfigNoteSink = () => {},
  read: ReadText = (f) => readFile(f, 'utf8'),
): Promise<KioskConfig> {
  const file = path.join(userData, CONFIG_FILE);
  const note = (kind: ConfigNote['kind'], message: string) => onNote({ kind, file, message });
  let text: string;
  try {
    text = await read(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') note('missing', `${file} does not exist; using the defaults`);
    else note('unreadable', `${file} cannot be read (${code ?? String(error)}); using the defaults`);
    return {};
  }
  if (text.trim() === '') {
    note('empty', `${file} is empty; using the defaults`);
    return {};
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    note('invalid', `${file} is not valid JSON (${(error as Error).message}); using the defaults`);
    return {};
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    note('invalid', `${file} must hold one JSON object, like {"inbox": "D:/inbox"}; using the defaults`);
    return {};
  }
  const whole = KioskConfig.safeParse(raw);
  if (whole.success) return whole.data;
  for (const issue of whole.error.issues) {
    const where = issue.path.length ? issue.path.join('.') : (issue as { keys?: string[] }).keys?.join(', ');
    note('invalid', `${file}: ${where ?? 'setting'}: ${issue.message}; ignoring it`);
  }
  // Keep every setting that is valid on its own, so one typo does not lose the others.
  const config: Record<string, unknown> = {};
  const record = raw as Record<string, unknown>;
  for (const key of Object.keys(KioskConfig.shape) as Array<keyof KioskConfig>) {
    const one = KioskConfig.shape[key].safeParse(record[key]);
    if (one.success && one.data !== undefined) config[key] = one.data;
  }
  return config as KioskConfig;
}

/**
 * The `publicKeys` of config.json as keys: with keys listed, only packages
 * signed by one of them are installed. A key that cannot be read goes to
 * `onUnreadable`; listed keys that are all unreadable still mean "signed
 * only" (`requireSigned`), so an unsigned package never slips in.
 */
export function configuredPublicKeys(
  config: KioskConfig,
  onUnreadable: (message: string) => void,
): { publicKeys: KeyObject[]; requireSigned: boolean } {
  const publicKeys: KeyObject[] = [];
  for (const [i, text] of (config.publicKeys ?? []).entries()) {
    try {
      publicKeys.push(parsePublicKey(text, `publicKeys[${i}] in config.json`));
    } catch (err) {
      onUnreadable((err as Error).message);
    }
  }
  return { publicKeys, requireSigned: (config.publicKeys ?? []).length > 0 };
}

/** The content store and inbox a kiosk uses. */
export interface KioskFolders {
  store: string;
  /** Undefined: the kiosk has no inbox. */
  inbox: string | undefined;
}

/** What {@link resolveKioskFolders} decides from. */
export interface FolderInput {
  /** The user-data folder: Electron's `app.getPath('userData')`, or {@link userDataDir}. */
  userData: string;
  /** config.json as {@link readKioskConfig} read it. */
  config: KioskConfig;
  env: Record<string, string | undefined>;
  /** `--store DIR` (the content CLI). */
  storeFlag?: string;
  /** `--inbox DIR`. */
  inboxFlag?: string;
}

/**
 * The store and inbox folders, first match wins.
 * Store: `--store`, `VITRINE_CONTENT_STORE`, `contentStore` in `config.json`, `<userData>/content-store`.
 * Inbox: `--inbox`, `VITRINE_INBOX`, `inbox` in `config.json`, else none.
 */
export function resolveKioskFolders(input: FolderInput): KioskFolders {
  const { config } = input;
  const fromEnv = (name: string) => {
    const value = input.env[name];
    return value?.trim() ? path.resolve(value) : undefined;
  };
  const fromConfig = (value: string | undefined) => (value ? path.resolve(input.userData, value) : undefined);
  const store =
    (input.storeFlag ? path.resolve(input.storeFlag) : undefined) ??
    fromEnv('VITRINE_CONTENT_STORE') ??
    fromConfig(config.contentStore) ??
    path.join(input.userData, 'content-store');
  const inbox =
    (input.inboxFlag ? path.resolve(input.inboxFlag) : undefined) ??
    fromEnv('VITRINE_INBOX') ??
    fromConfig(config.inbox);
  return { store, inbox };
}

/** The content store for the content CLI (`--store DIR`, then as {@link resolveKioskFolders}). */
export function resolveStoreDir(
  config: KioskConfig,
  flag?: string,
  env: Record<string, string | undefined> = process.env,
): string {
  return resolveKioskFolders({ userData: userDataDir(env), config, env, storeFlag: flag }).store;
}
