/**
 * The kiosk's content store: every installed version in its own folder, and
 * one small pointer file naming the current and the previous version.
 *
 * ```
 * STORE/
 *   current.json            { current, previous, history } — replaced by an atomic rename
 *   versions/<version>/     a complete content folder (exhibit.yaml, media/, manifest.json)
 *   staging/                packages being unpacked and checked; never shown
 * ```
 *
 * A new version is unpacked into `staging/`, its hashes and content checked,
 * moved into `versions/`, and only then does `current.json` change — in one
 * rename, so a power cut leaves either the old or the new version current,
 * never a mix. The previous version is kept for rollback.
 */
import { createHash, randomBytes, type KeyObject } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { cp, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { syncFolder, syncTree, writeFileAtomic } from '../common/atomic-write.js';
import type { ContentHistoryEntry } from '../contract/staff.js';
import { ContentError, EXIT } from './errors.js';
import { lockHolder, lockOwnerNow, type LockOwner } from './instance-lock.js';
import { type Problem } from './load.js';
import { contentFiles, hashContent, Manifest, MANIFEST_FILE, versionId } from './manifest.js';
import { silentProgress, type Progress } from './progress.js';
import { requireSignature } from './signing.js';
import { validateContent, type ValidationReport } from './validate.js';
import { extractPackage, isPackageNoSpace } from './zip-extract.js';

/** The pointer file's name in the store. */
const STATE_FILE = 'current.json';
/** A second copy of the pointer, written after it, read when the first is damaged. */
const BACKUP_FILE = 'current.backup.json';
/** Written when an interrupted apply was cleaned up; read (and removed) by live content to tell staff. */
const INTERRUPTED_FILE = 'interrupted.json';
/**
 * In each version folder: whether that version was confirmed or rolled back.
 * A small copy of what the pointer says about it, so a pointer rebuilt from
 * the folders keeps the block list and the confirmations.
 */
const VERSION_MARK_FILE = '.vitrine-state.json';
/** How many versions besides current and previous are kept. */
const KEEP_EXTRA_VERSIONS = 3;
/** How long a change waits for another one holding the store's lock, and how often it looks. */
const LOCK_WAIT_MS = 3000;
const LOCK_RETRY_MS = 50;
/** How many package fingerprints and confirmed versions are remembered. */
const KEEP_RECORDS = 200;

/** A version folder's name: never a path, so a hostile pointer cannot lead out of the store. */
const VersionName = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,119}$/)
  .refine((v) => v !== '.' && v !== '..');

const HistoryEntry: z.ZodType<ContentHistoryEntry> = z.object({
  version: z.string(),
  exhibitId: z.string(),
  contentVersion: z.string(),
  at: z.string(),
  action: z.enum(['apply', 'rollback', 'auto-rollback']),
  /** Where it came from: a package file, a folder, or the store itself for rollbacks. */
  source: z.string(),
  note: z.string().optional(),
});
type HistoryEntry = z.infer<typeof HistoryEntry>;

/** What became of one package file, known by its SHA-256, so it is never taken twice. */
const PackageRecord = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  name: z.string(),
  outcome: z.enum(['applied', 'rejected', 'rolled-back']),
  version: z.string().optional(),
  reason: z.string().optional(),
  at: z.string(),
  /** Where the inbox moved it (relative to the inbox), with its size and mtime then. */
  movedTo: z.string().optional(),
  size: z.number().optional(),
  mtimeMs: z.number().optional(),
});
/** See {@link PackageRecord}. */
export type PackageRecord = z.infer<typeof PackageRecord>;

const StoreState = z.object({
  current: VersionName.optional(),
  previous: VersionName.optional(),
  history: z.array(HistoryEntry).default([]),
  /** Versions a renderer has drawn at least once. A current version not listed here is still on trial. */
  confirmed: z.array(VersionName).default([]),
  /** Versions that were rolled back; never installed again from the inbox. */
  rolledBack: z.array(VersionName).default([]),
  /** Packages already taken, refused or rolled back, by fingerprint. */
  packages: z.array(PackageRecord).default([]),
  /** How many times the kiosk started with this current version unconfirmed. */
  trial: z.object({ version: VersionName, starts: z.number().int().nonnegative() }).optional(),
});
/** What `current.json` holds. */
export type StoreState = z.infer<typeof StoreState>;

/** The state of a store with nothing installed. */
export const emptyState = (): StoreState => ({ history: [], confirmed: [], rolledBack: [], packages: [] });

/** Told about each thing that had to be repaired while reading the store. */
export type StoreNote = (message: string) => void;

/**
 * Raised when a store file could not be read for a reason that says nothing of
 * its content (too many open files, a busy or failing disk, no permission):
 * the file may be whole, so the store is left exactly as it is.
 */
export class StoreReadError extends ContentError {
  constructor(file: string, code: string) {
    super(
      `${file} could not be read (${code}); the content store was left as it is and is read again at the next look`,
      EXIT.usage,
    );
  }
}

/** Back-offs between tries of a read that failed for a passing reason (EMFILE under a connection flood). */
const READ_RETRY_MS = [20, 50, 100, 200];

/** Reads a store file; undefined when it does not exist; throws {@link StoreReadError} when it cannot be read. */
async function readStoreFile(file: string): Promise<string | undefined> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await readFile(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return undefined;
      if (attempt >= READ_RETRY_MS.length) throw new StoreReadError(file, code ?? String(err));
      await new Promise((resolve) => setTimeout(resolve, READ_RETRY_MS[attempt]));
    }
  }
}

/**
 * Reads and checks one pointer file: the state, `undefined` when missing, or
 * why it is damaged. Only content that was read and is wrong is damage; a
 * file that could not be read throws {@link StoreReadError}.
 */
async function readPointer(file: string): Promise<StoreState | undefined | { damaged: string }> {
  const text = await readStoreFile(file);
  if (text === undefined) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { damaged: text.trim() === '' ? 'is empty' : 'is cut short or not JSON' };
  }
  const parsed = StoreState.safeParse(raw);
  if (!parsed.success) return { damaged: 'holds something that is not a store state' };
  return parsed.data;
}

/** The installed version folders, newest first. */
async function installedVersions(store: string): Promise<string[]> {
  const names = await readdir(path.join(store, 'versions')).catch((err: NodeJS.ErrnoException) => {
    // A folder that cannot be listed right now is not an empty store.
    if (err.code === 'ENOENT') return [] as string[];
    throw new StoreReadError(path.join(store, 'versions'), err.code ?? String(err));
  });
  const dated: { name: string; at: number }[] = [];
  for (const name of names) {
    if (!VersionName.safeParse(name).success) continue;
    const dir = path.join(store, 'versions', name);
    const info = await stat(dir).catch((err: NodeJS.ErrnoException) => {
      // A version that cannot be looked at right now is not gone: a rebuild must not leave it out.
      if (err.code === 'ENOENT') return undefined;
      throw new StoreReadError(dir, err.code ?? String(err));
    });
    if (info?.isDirectory()) dated.push({ name, at: info.mtimeMs });
  }
  return dated.sort((a, b) => b.at - a.at).map((d) => d.name);
}

/**
 * Reads the store's pointer file. Never throws for a damaged one: a missing
 * file is an empty store; a truncated, empty or hostile one is replaced by
 * its backup copy, else rebuilt from the installed versions (newest current),
 * and `onNote` says so. A pointer that cannot be read at all (EMFILE, EIO…)
 * is tried again a few times, then throws {@link StoreReadError}: it is
 * never taken for damage, so nothing is rebuilt or written because of it.
 */
export async function readState(store: string, onNote: StoreNote = () => {}): Promise<StoreState> {
  const file = path.join(store, STATE_FILE);
  const main = await readPointer(file);
  if (main === undefined || !('damaged' in main)) return main ?? emptyState();
  const backup = await readPointer(path.join(store, BACKUP_FILE));
  if (backup && !('damaged' in backup)) {
    onNote(`${file} is damaged (it ${main.damaged}); using its backup copy`);
    return backup;
  }
  const installed = await installedVersions(store);
  const marks = new Map<string, VersionMark>();
  for (const v of installed) marks.set(v, await readVersionMark(store, v));
  const rolledBack = installed.filter((v) => marks.get(v)?.rolledBack);
  const confirmed = installed.filter((v) => marks.get(v)?.confirmed);
  // A version that was rolled back is never made current or previous again by a rebuild.
  const [current, previous] = installed.filter((v) => !rolledBack.includes(v));
  const blocked = rolledBack.length ? `; still blocked: ${rolledBack.join(', ')}` : '';
  onNote(
    `${file} is damaged (it ${main.damaged}); rebuilt from the installed versions (current: ${current ?? 'none'}${blocked})`,
  );
  return { ...emptyState(), current, previous, confirmed, rolledBack };
}

/** What a version folder's mark says: see {@link VERSION_MARK_FILE}. */
const VersionMark = z.object({ confirmed: z.boolean(), rolledBack: z.boolean() });
type VersionMark = z.infer<typeof VersionMark>;

/** A version folder's mark; unmarked when missing or damaged; throws {@link StoreReadError} when unreadable. */
async function readVersionMark(store: string, version: string): Promise<VersionMark> {
  const text = await readStoreFile(path.join(store, 'versions', version, VERSION_MARK_FILE));
  try {
    const parsed = VersionMark.safeParse(text === undefined ? undefined : JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // A damaged mark says nothing; the pointer is what counts.
  }
  return { confirmed: false, rolledBack: false };
}

/**
 * Copies what `state` says of the current and previous versions (confirmed,
 * rolled back) into their folders' marks, when it changed. Best effort: the
 * pointer is the record; the marks only matter when it is lost.
 */
async function markVersions(store: string, state: StoreState): Promise<void> {
  for (const version of new Set([state.current, state.previous])) {
    if (!version) continue;
    const mark: VersionMark = {
      confirmed: state.confirmed.includes(version),
      rolledBack: state.rolledBack.includes(version),
    };
    const file = path.join(store, 'versions', version, VERSION_MARK_FILE);
    const text = `${JSON.stringify(mark)}\n`;
    if ((await readFile(file, 'utf8').catch(() => undefined)) === text) continue;
    await writeFileAtomic(file, text).catch(() => undefined);
  }
}

/** Writes the pointer file atomically, so a power cut leaves either the old or the new version current. */
async function writeState(store: string, state: StoreState): Promise<void> {
  const text = `${JSON.stringify(state, null, 2)}\n`;
  await writeFileAtomic(path.join(store, STATE_FILE), text);
  // Best effort: the backup only matters when the pointer itself is damaged.
  await writeFileAtomic(path.join(store, BACKUP_FILE), text).catch(() => undefined);
  await markVersions(store, state);
}

/** What an interrupted apply left, as {@link takeInterrupted} reports it. */
export interface InterruptedApply {
  /** When the interrupted apply started (ISO), when known. */
  at?: string;
  /** When its leftovers were removed (ISO). */
  cleanedAt: string;
  /** How many half-unpacked folders were removed. */
  removed: number;
}

/**
 * Serialises changes to one store across processes (the CLI and the kiosk).
 * A lock left by a process that died, or by an earlier boot, is broken at
 * once; whatever it left half-unpacked in `staging/` is removed and noted in
 * `interrupted.json` for staff.
 */
async function withLock<T>(store: string, fn: () => Promise<T>): Promise<T> {
  const lock = path.join(store, 'lock');
  const take = () =>
    mkdir(lock).then(
      () => true,
      (err: NodeJS.ErrnoException) => {
        if (err.code === 'EEXIST') return false;
        throw err;
      },
    );
  let broken: LockOwner | undefined;
  let taken = await take();
  // A short change (a confirmation, a rollback) is over in a moment: wait for it rather than fail.
  for (let waited = 0; !taken; waited += LOCK_RETRY_MS) {
    const holder = await lockHolder(lock);
    if (!holder.busy) {
      broken = holder.owner;
      await rm(lock, { recursive: true, force: true });
    } else if (waited >= LOCK_WAIT_MS) {
      throw new ContentError(
        'another update of this content store is running; try again in a minute',
        EXIT.usage,
      );
    } else await new Promise((resolve) => setTimeout(resolve, LOCK_RETRY_MS));
    taken = await take();
  }
  try {
    await writeFile(path.join(lock, 'owner.json'), JSON.stringify(await lockOwnerNow()));
    await clearStaging(store, broken);
    return await fn();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

/** Removes what an interrupted apply left in `staging/` (only ever called holding the lock). */
async function clearStaging(store: string, broken: LockOwner | undefined): Promise<void> {
  const staging = path.join(store, 'staging');
  const left = await readdir(staging).catch(() => [] as string[]);
  if (left.length === 0 && !broken) return;
  let oldest: number | undefined;
  for (const name of left) {
    const info = await stat(path.join(staging, name)).catch(() => undefined);
    if (info) oldest = Math.min(oldest ?? info.mtimeMs, info.mtimeMs);
    await rm(path.join(staging, name), { recursive: true, force: true });
  }
  const note: InterruptedApply = {
    at: broken?.at ?? (oldest === undefined ? undefined : new Date(oldest).toISOString()),
    cleanedAt: new Date().toISOString(),
    removed: left.length,
  };
  await writeFileAtomic(path.join(store, INTERRUPTED_FILE), JSON.stringify(note)).catch(() => undefined);
}

/**
 * Cleans up after an apply that was interrupted (the kiosk or the CLI killed
 * mid-apply): breaks its lock if its holder is gone and removes its
 * half-unpacked folders. Never throws; a lock still held by a live process is
 * left alone.
 */
export async function recoverStore(store: string): Promise<void> {
  if (!(await stat(store).catch(() => undefined))) return;
  await withLock(store, async () => undefined).catch(() => undefined);
}

/**
 * Returns, once, what the last clean-up of an interrupted apply found, and
 * forgets it; undefined when there was none.
 */
export async function takeInterrupted(store: string): Promise<InterruptedApply | undefined> {
  const file = path.join(store, INTERRUPTED_FILE);
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  await rm(file, { force: true }).catch(() => undefined);
  try {
    const raw = JSON.parse(text) as Partial<InterruptedApply>;
    return {
      at: typeof raw.at === 'string' ? raw.at : undefined,
      cleanedAt: typeof raw.cleanedAt === 'string' ? raw.cleanedAt : new Date().toISOString(),
      removed: typeof raw.removed === 'number' ? raw.removed : 0,
    };
  } catch {
    return { cleanedAt: new Date().toISOString(), removed: 0 };
  }
}

/** Raised when a package or folder is refused; carries the validation problems if there were any. */
export class RejectedContent extends ContentError {
  constructor(
    message: string,
    readonly problems: Problem[] = [],
  ) {
    super(message, EXIT.invalid);
  }
}

/** What {@link applyContent} did. */
export interface ApplyResult {
  version: string;
  previous?: string;
  /** True when this exact version was already installed (its files were reused). */
  reused: boolean;
  /** False when this version was already current: nothing changed. */
  changed: boolean;
  /** Warnings of the applied content. */
  warnings: Problem[];
  dir: string;
  /** The exhibit's id and its own `version` field. */
  exhibitId: string;
  contentVersion: string;
}

/** Options for {@link applyContent}. */
export interface ApplyOptions {
  progress?: Progress;
  now?: () => Date;
  /** Recorded in the history as where the version came from; defaults to the input path. */
  source?: string;
  /** Install a version older than the current one (by content version, then creation time). */
  allowOlder?: boolean;
  /** Install a package of another exhibit (a different exhibit id). */
  force?: boolean;
  /** When not empty, only packages signed by one of these keys are installed. */
  publicKeys?: readonly KeyObject[];
  /** Only signed packages, even when no key could be read (then none is installed: the kiosk's fault, kept for later). */
  requireSigned?: boolean;
  /** Refuse a version that was rolled back before (the inbox: a bad version never comes back by itself). */
  refuseRolledBack?: boolean;
  /** The package file's SHA-256, remembered with the version so the same file is never taken twice. */
  fingerprint?: { sha256: string; name: string };
}

/** Checks extracted files against the manifest: same names, sizes and hashes, nothing extra. */
function compareWithManifest(
  manifest: Manifest,
  extracted: { name: string; size: number; sha256: string }[],
): string | undefined {
  const got = new Map(extracted.filter((f) => f.name !== MANIFEST_FILE).map((f) => [f.name, f]));
  for (const [name, want] of Object.entries(manifest.files)) {
    const have = got.get(name);
    if (!have) return `"${name}" is listed in the manifest but missing from the package`;
    if (have.sha256 !== want.sha256 || have.size !== want.size) {
      return `"${name}" does not match its SHA-256 in the manifest (damaged or changed after packing)`;
    }
    got.delete(name);
  }
  const extra = [...got.keys()][0];
  return extra ? `"${extra}" is in the package but not in its manifest` : undefined;
}

/** A problem standing for an exception the content check itself threw (e.g. YAML's alias-bomb guard). */
export function crashProblem(err: unknown, file = 'exhibit.yaml'): Problem {
  const message = err instanceof Error ? err.message : String(err);
  return {
    severity: 'error',
    file,
    line: 1,
    column: 1,
    field: '',
    message: `the content could not be checked: ${message}`,
    hint: 'Simplify the file (for example fewer "*" aliases) or make it again from a known good copy.',
  };
}

/** {@link validateContent} that never throws: an exception becomes one error problem. */
async function validateSafely(dir: string): Promise<ValidationReport> {
  try {
    return await validateContent(dir);
  } catch (err) {
    return { ok: false, problems: [crashProblem(err)], media: [] };
  }
}

/**
 * Compares two content versions as staff write them: ISO dates as dates
 * (`2026-11-27` after `2026-11-26`, a suffix such as `2026-11-26b` after the
 * bare date), dotted numbers numerically (`1.10` after `1.9`); anything else
 * undecided, for the caller to judge by when the packages were made.
 */
function compareContentVersions(a: string, b: string): number | undefined {
  const date = /^(\d{4}-\d{2}-\d{2})(.*)$/;
  const da = date.exec(a);
  const db = date.exec(b);
  if (da && db) {
    if (da[1] !== db[1]) return da[1]! < db[1]! ? -1 : 1;
    return Math.sign(da[2]!.localeCompare(db[2]!, 'en', { numeric: true }));
  }
  const num = /^v?\d+(?:\.\d+)*$/i;
  if (!num.test(a) || !num.test(b)) return undefined;
  const pa = a.replace(/^v/i, '').split('.').map(Number);
  const pb = b.replace(/^v/i, '').split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** The manifest a version folder was installed with, if it can be read. */
async function readVersionManifest(dir: string): Promise<Manifest | undefined> {
  try {
    const parsed = Manifest.safeParse(JSON.parse(await readFile(path.join(dir, MANIFEST_FILE), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** How many damaged files a report names before it says "and N more". */
const NAMED_FILES = 5;

/**
 * Checks an installed version folder against its `manifest.json`: every
 * listed file present, with the listed size (stat only, so it is quick enough
 * for every start). Returns one error problem naming the missing or changed
 * files, or undefined when the folder is whole. A file that cannot be looked
 * at for a passing reason (EMFILE, EIO…) throws {@link StoreReadError}: that
 * is no proof of damage.
 */
export async function checkVersionFiles(dir: string): Promise<Problem | undefined> {
  const manifest = await readVersionManifest(dir);
  if (!manifest) {
    return versionDamage(MANIFEST_FILE, [`${MANIFEST_FILE} (missing or damaged)`]);
  }
  const bad: string[] = [];
  for (const [name, want] of Object.entries(manifest.files)) {
    const file = path.join(dir, ...name.split('/'));
    const info = await stat(file).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return undefined;
      throw new StoreReadError(file, err.code ?? String(err));
    });
    if (!info?.isFile()) bad.push(`${name} (missing)`);
    else if (info.size !== want.size) bad.push(`${name} (${info.size} bytes, not ${want.size})`);
  }
  return bad.length ? versionDamage(bad[0]!.replace(/ \(.*$/, ''), bad) : undefined;
}

function versionDamage(first: string, bad: string[]): Problem {
  const more = bad.length > NAMED_FILES ? ` and ${bad.length - NAMED_FILES} more` : '';
  return {
    severity: 'error',
    file: first,
    line: 1,
    column: 1,
    field: '',
    message: `${bad.length === 1 ? 'a file' : `${bad.length} files`} of this version went missing or changed since it was installed: ${bad.slice(0, NAMED_FILES).join(', ')}${more}`,
    hint: 'The kiosk goes back to an earlier version by itself; to show this one again, install its package again.',
  };
}

/** Why `next` may not replace `current` without being forced, or undefined. */
function refusalAgainst(
  next: Manifest,
  current: Manifest | undefined,
  opts: ApplyOptions,
  what: string,
): string | undefined {
  if (!current) return undefined;
  if (!opts.force && next.exhibitId !== current.exhibitId) {
    return `rejected: ${what} is for the exhibit "${next.exhibitId}", but this kiosk shows "${current.exhibitId}"; to replace it anyway, use content apply --force`;
  }
  if (opts.allowOlder) return undefined;
  const byVersion = compareContentVersions(next.contentVersion, current.contentVersion);
  const older =
    byVersion !== undefined
      ? byVersion < 0
      : next.contentVersion !== current.contentVersion && next.createdAt < current.createdAt;
  if (!older) return undefined;
  const why =
    byVersion !== undefined
      ? `holds version ${next.contentVersion}, older than ${current.contentVersion} shown now`
      : `holds version "${next.contentVersion}", made ${next.createdAt.slice(0, 10)}, before the version shown now ("${current.contentVersion}", made ${current.createdAt.slice(0, 10)}); versions that are not dates or numbers are compared by when they were made`;
  return `rejected: ${what} ${why}; to go back on purpose, set "allowOlder": true in config.json or use content apply --allow-older`;
}

/** The format a package's manifest says it has, when it is one of ours but newer than this kiosk knows. */
async function newerFormat(file: string): Promise<number | undefined> {
  const { default: yauzl } = await import('yauzl');
  return new Promise((resolve) => {
    yauzl.open(file, { lazyEntries: true, autoClose: true }, (err, zip) => {
      if (err || !zip) return resolve(undefined);
      const done = (v: number | undefined) => {
        zip.close();
        resolve(v);
      };
      zip.on('error', () => done(undefined));
      zip.on('end', () => done(undefined));
      zip.on('entry', (entry: import('yauzl').Entry) => {
        if (entry.fileName !== MANIFEST_FILE || entry.uncompressedSize > 1024 * 1024) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return done(undefined);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', () => done(undefined));
          stream.on('end', () => {
            try {
              const raw = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
              const n = raw.formatVersion;
              done(raw.format === 'vitrine-content' && typeof n === 'number' && n > 1 ? n : undefined);
            } catch {
              done(undefined);
            }
          });
        });
      });
      zip.readEntry();
    });
  });
}

/** Adds or replaces the record of one package file, keeping the newest few hundred. */
function remember(state: StoreState, record: PackageRecord): void {
  const others = state.packages.filter(
    (p) => p.sha256 !== record.sha256 && (!record.movedTo || p.movedTo !== record.movedTo),
  );
  state.packages = [...others, record].slice(-KEEP_RECORDS);
}

/**
 * Installs a package file or a content folder into the store and makes it
 * current. Anything wrong — unsafe zip entries, hashes that do not match,
 * invalid content, an older version or another exhibit without leave — throws
 * a {@link RejectedContent} and leaves the store exactly as it was. A full
 * disk throws `PackageNoSpace` (keep the package and retry).
 */
export async function applyContent(
  input: string,
  store: string,
  opts: ApplyOptions = {},
): Promise<ApplyResult> {
  const progress = opts.progress ?? silentProgress;
  const now = opts.now ?? (() => new Date());
  const from = path.resolve(input);
  const info = await stat(from).catch(() => {
    throw new ContentError(`${from} does not exist`, EXIT.usage);
  });
  await mkdir(path.join(store, 'versions'), { recursive: true });
  await mkdir(path.join(store, 'staging'), { recursive: true });
  return withLock(store, async () => {
    const staging = path.join(store, 'staging', `${now().getTime()}-${randomBytes(4).toString('hex')}`);
    await mkdir(staging);
    const name = path.basename(from);
    try {
      let manifest: Manifest;
      if (info.isDirectory()) {
        const report = await validateSafely(from);
        if (!report.ok || !report.exhibit) {
          throw new RejectedContent(`rejected: ${from} has errors; run validate on it`, report.problems);
        }
        const files = await contentFiles(from);
        for (const [i, rel] of files.entries()) {
          await cp(path.join(from, rel), path.join(staging, rel), {
            errorOnExist: true,
            force: false,
            dereference: true,
          });
          progress.update(i + 1, files.length, rel);
        }
        manifest = {
          format: 'vitrine-content',
          formatVersion: 1,
          exhibitId: report.exhibit.id,
          contentVersion: report.exhibit.version,
          createdAt: now().toISOString(),
          files: await hashContent(staging),
        };
        await writeFile(path.join(staging, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
      } else {
        if (opts.requireSigned && !opts.publicKeys?.length) {
          throw new ContentError(
            'this kiosk installs only signed packages, but none of the publicKeys in config.json can be read; fix config.json',
            EXIT.usage,
          );
        }
        let extracted;
        try {
          extracted = await extractPackage(from, staging, {
            onFile: (d, t, n) => progress.update(d, t, n),
            checkManifest: opts.publicKeys?.length ? requireSignature(opts.publicKeys) : undefined,
          });
        } catch (err) {
          if (isPackageNoSpace(err)) throw err;
          if (err instanceof ContentError && err.exitCode === EXIT.invalid) {
            if (/is not valid/.test(err.message)) {
              const format = await newerFormat(from);
              if (format !== undefined) {
                throw new RejectedContent(
                  `rejected: ${name} was made by a newer Vitrine (format ${format}); update this kiosk`,
                );
              }
            }
            throw new RejectedContent(err.message);
          }
          if (err instanceof ContentError) throw err;
          // A package the unpacker itself chokes on is a bad package, not a fault of the kiosk.
          throw new RejectedContent(
            `rejected: ${name} could not be unpacked (${err instanceof Error ? err.message : String(err)}); copy it again or pack it anew`,
          );
        }
        let raw: unknown;
        try {
          raw = JSON.parse(await readFile(path.join(staging, MANIFEST_FILE), 'utf8'));
        } catch {
          throw new RejectedContent(
            `rejected: ${name} has no readable ${MANIFEST_FILE}; make it with "content pack"`,
          );
        }
        const parsed = Manifest.safeParse(raw);
        if (!parsed.success)
          throw new RejectedContent(`rejected: the ${MANIFEST_FILE} of ${name} is not valid`);
        manifest = parsed.data;
        const mismatch = compareWithManifest(manifest, extracted);
        if (mismatch)
          throw new RejectedContent(`rejected: ${mismatch}; copy the package again or pack it anew`);
        const report = await validateSafely(staging);
        if (!report.ok)
          throw new RejectedContent(`rejected: the content in ${name} has errors`, report.problems);
      }
      progress.done();
      const version = versionId(manifest);
      const state = await readState(store);
      if (opts.refuseRolledBack && state.rolledBack.includes(version) && state.current !== version) {
        throw new RejectedContent(
          `rejected: ${name} holds version ${manifest.contentVersion} (${version}), which was rolled back on this kiosk; pack a corrected version`,
        );
      }
      if (state.current !== version) {
        const current = state.current
          ? await readVersionManifest(path.join(store, 'versions', state.current))
          : undefined;
        const refusal = refusalAgainst(manifest, current, opts, info.isDirectory() ? from : name);
        if (refusal) throw new RejectedContent(refusal);
      }
      const dir = path.join(store, 'versions', version);
      const exists = await stat(dir).then(
        () => true,
        () => false,
      );
      if (!exists) {
        // Every file and folder on disk before the folder is renamed in and the pointer names it.
        await syncTree(staging);
        await rename(staging, dir);
        await syncFolder(path.join(store, 'versions'));
      }
      const warnings = (await validateSafely(dir)).problems.filter((p) => p.severity === 'warning');
      const reused = exists;
      const changed = state.current !== version;
      const base = {
        reused,
        changed,
        warnings,
        dir,
        exhibitId: manifest.exhibitId,
        contentVersion: manifest.contentVersion,
      };
      if (opts.fingerprint) {
        remember(state, {
          ...opts.fingerprint,
          outcome: 'applied',
          version,
          at: now().toISOString(),
        });
      }
      if (!changed) {
        if (opts.fingerprint) await writeState(store, state);
        return { version, previous: state.previous, ...base };
      }
      state.previous = state.current;
      state.current = version;
      state.rolledBack = state.rolledBack.filter((v) => v !== version);
      state.history.push({
        version,
        exhibitId: manifest.exhibitId,
        contentVersion: manifest.contentVersion,
        at: now().toISOString(),
        action: 'apply',
        source: opts.source ?? from,
      });
      state.history = state.history.slice(-50);
      await writeState(store, state);
      await prune(store, state);
      return { version, previous: state.previous, ...base };
    } finally {
      progress.done();
      await rm(staging, { recursive: true, force: true });
    }
  });
}

/** Removes old versions, never the current, the previous, or the newest few. */
async function prune(store: string, state: StoreState): Promise<void> {
  const keep = new Set([state.current, state.previous].filter(Boolean));
  for (const h of [...state.history].reverse()) {
    if (keep.size >= KEEP_EXTRA_VERSIONS + 2) break;
    keep.add(h.version);
  }
  for (const name of await readdir(path.join(store, 'versions'))) {
    if (!keep.has(name)) await rm(path.join(store, 'versions', name), { recursive: true, force: true });
  }
}

/**
 * Makes the previous version current again (and the current one previous,
 * so a rollback can itself be undone). `auto` marks a rollback the kiosk did
 * by itself after a render failure; `note` says why. The version rolled back
 * is remembered, and the packages it came from, so the inbox never installs
 * it again.
 */
export async function rollbackContent(
  store: string,
  opts: { auto?: boolean; note?: string; now?: () => Date; onNote?: StoreNote } = {},
): Promise<{ version: string; from: string }> {
  await mkdir(store, { recursive: true });
  return withLock(store, async () => {
    const state = await readState(store, opts.onNote);
    if (!state.current || !state.previous) {
      throw new ContentError('there is no previous version to roll back to');
    }
    const dir = path.join(store, 'versions', state.previous);
    if (
      !(await stat(dir).then(
        (s) => s.isDirectory(),
        () => false,
      ))
    ) {
      throw new ContentError(`the previous version ${state.previous} is missing from the store`);
    }
    const from = state.current;
    const target = state.previous;
    const meta = [...state.history].reverse().find((h) => h.version === target);
    const at = (opts.now ?? (() => new Date()))().toISOString();
    state.current = target;
    state.previous = from;
    state.rolledBack = [...state.rolledBack.filter((v) => v !== from), from].slice(-KEEP_RECORDS);
    state.rolledBack = state.rolledBack.filter((v) => v !== target);
    for (const p of state.packages) {
      if (p.version === from) Object.assign(p, { outcome: 'rolled-back', reason: opts.note, at });
    }
    state.history.push({
      version: target,
      exhibitId: meta?.exhibitId ?? '',
      contentVersion: meta?.contentVersion ?? '',
      at,
      action: opts.auto ? 'auto-rollback' : 'rollback',
      source: `rollback from ${from}`,
      note: opts.note,
    });
    state.history = state.history.slice(-50);
    await writeState(store, state);
    return { version: target, from };
  });
}

/**
 * Records that a renderer drew `version`: from now on it is confirmed, across
 * restarts. Does nothing when it is not current any more, or already confirmed.
 */
export async function confirmVersion(store: string, version: string): Promise<void> {
  await withLock(store, async () => {
    const state = await readState(store);
    if (state.current !== version || state.confirmed.includes(version)) return;
    state.confirmed = [...state.confirmed, version].slice(-KEEP_RECORDS);
    await writeState(store, state);
  });
}

/**
 * Counts one more start with `version` current and unconfirmed, and returns
 * how many there have been: a kiosk restarted again and again before its
 * confirm timer runs out still learns that the version never reached the screen.
 */
export async function countTrialStart(store: string, version: string): Promise<number> {
  return withLock(store, async () => {
    const state = await readState(store);
    const starts = (state.trial?.version === version ? state.trial.starts : 0) + 1;
    state.trial = { version, starts };
    await writeState(store, state);
    return starts;
  });
}

/** Remembers what became of a package file that was not installed (refused), so it is not tried again. */
export async function recordPackage(store: string, record: PackageRecord): Promise<void> {
  await mkdir(store, { recursive: true });
  await withLock(store, async () => {
    const state = await readState(store);
    remember(state, record);
    await writeState(store, state);
  });
}

/** SHA-256 of a file, hex. */
export function fingerprintFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/**
 * Serves the store's current version again after it was found damaged: the
 * pointer is rewritten (when it was rebuilt) so the next start reads it whole.
 */
export async function repairState(store: string, onNote: StoreNote): Promise<StoreState> {
  let damaged = false;
  const state = await readState(store, (m) => {
    damaged = true;
    onNote(m);
  });
  if (damaged) await withLock(store, () => writeState(store, state)).catch(() => undefined);
  return state;
}

/** What `content status` shows. */
export interface StoreStatus {
  store: string;
  current?: string;
  previous?: string;
  currentDir?: string;
  /** Newest first. */
  history: HistoryEntry[];
  versions: string[];
}

/** The store's state, for people: current and previous versions, installed versions, recent history. */
export async function storeStatus(store: string): Promise<StoreStatus> {
  const state = await readState(store);
  const versions = await readdir(path.join(store, 'versions')).catch(() => [] as string[]);
  return {
    store,
    current: state.current,
    previous: state.previous,
    currentDir: state.current ? path.join(store, 'versions', state.current) : undefined,
    history: [...state.history].reverse().slice(0, 10),
    versions: versions.sort(),
  };
}
