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
import { randomBytes } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../common/atomic-write.js';
import type { ContentHistoryEntry } from '../contract/staff.js';
import { ContentError, EXIT } from './errors.js';
import { type Problem } from './load.js';
import { contentFiles, hashContent, Manifest, MANIFEST_FILE, versionId } from './manifest.js';
import { silentProgress, type Progress } from './progress.js';
import { validateContent } from './validate.js';
import { extractPackage } from './zip-extract.js';

/** The pointer file's name in the store. */
const STATE_FILE = 'current.json';
/** How many versions besides current and previous are kept. */
const KEEP_EXTRA_VERSIONS = 3;

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

const StoreState = z.object({
  current: z.string().optional(),
  previous: z.string().optional(),
  history: z.array(HistoryEntry).default([]),
});
/** What `current.json` holds. */
export type StoreState = z.infer<typeof StoreState>;

/** Reads the store's pointer file; an empty state if there is none yet. */
export async function readState(store: string): Promise<StoreState> {
  let text: string;
  try {
    text = await readFile(path.join(store, STATE_FILE), 'utf8');
  } catch {
    return { history: [] };
  }
  const parsed = StoreState.safeParse(JSON.parse(text));
  if (!parsed.success) throw new ContentError(`${path.join(store, STATE_FILE)} is damaged`, EXIT.usage);
  return parsed.data;
}

/** Writes the pointer file atomically, so a power cut leaves either the old or the new version current. */
async function writeState(store: string, state: StoreState): Promise<void> {
  await writeFileAtomic(path.join(store, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
}

/** Serialises changes to one store across processes (the CLI and the kiosk). */
async function withLock<T>(store: string, fn: () => Promise<T>): Promise<T> {
  const lock = path.join(store, 'lock');
  try {
    await mkdir(lock);
  } catch {
    const age =
      Date.now() -
      (await stat(lock).then(
        (s) => s.mtimeMs,
        () => Date.now(),
      ));
    // A lock older than ten minutes belongs to a process that died mid-apply.
    if (age < 10 * 60 * 1000)
      throw new ContentError(
        'another update of this content store is running; try again in a minute',
        EXIT.usage,
      );
    await rm(lock, { recursive: true, force: true });
    await mkdir(lock);
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { recursive: true, force: true });
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
}

/** Options for {@link applyContent}. */
export interface ApplyOptions {
  progress?: Progress;
  now?: () => Date;
  /** Recorded in the history as where the version came from; defaults to the input path. */
  source?: string;
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

/**
 * Installs a package file or a content folder into the store and makes it
 * current. Anything wrong — unsafe zip entries, hashes that do not match,
 * invalid content — throws a {@link RejectedContent} and leaves the store
 * exactly as it was.
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
    try {
      let manifest: Manifest;
      if (info.isDirectory()) {
        const report = await validateContent(from);
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
        const extracted = await extractPackage(from, staging, (d, t, n) => progress.update(d, t, n));
        let raw: unknown;
        try {
          raw = JSON.parse(await readFile(path.join(staging, MANIFEST_FILE), 'utf8'));
        } catch {
          throw new RejectedContent(
            `rejected: ${path.basename(from)} has no readable ${MANIFEST_FILE}; make it with "content pack"`,
          );
        }
        const parsed = Manifest.safeParse(raw);
        if (!parsed.success)
          throw new RejectedContent(`rejected: the ${MANIFEST_FILE} of ${path.basename(from)} is not valid`);
        manifest = parsed.data;
        const mismatch = compareWithManifest(manifest, extracted);
        if (mismatch)
          throw new RejectedContent(`rejected: ${mismatch}; copy the package again or pack it anew`);
        const report = await validateContent(staging);
        if (!report.ok)
          throw new RejectedContent(
            `rejected: the content in ${path.basename(from)} has errors`,
            report.problems,
          );
      }
      progress.done();
      const version = versionId(manifest);
      const dir = path.join(store, 'versions', version);
      const exists = await stat(dir).then(
        () => true,
        () => false,
      );
      if (!exists) await rename(staging, dir);
      const warnings = (await validateContent(dir)).problems.filter((p) => p.severity === 'warning');
      const state = await readState(store);
      const reused = exists;
      const changed = state.current !== version;
      if (!changed) return { version, previous: state.previous, reused, changed, warnings, dir };
      state.previous = state.current;
      state.current = version;
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
      return { version, previous: state.previous, reused, changed, warnings, dir };
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
 * by itself after a render failure; `note` says why.
 */
export async function rollbackContent(
  store: string,
  opts: { auto?: boolean; note?: string; now?: () => Date } = {},
): Promise<{ version: string; from: string }> {
  await mkdir(store, { recursive: true });
  return withLock(store, async () => {
    const state = await readState(store);
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
    state.current = target;
    state.previous = from;
    state.history.push({
      version: target,
      exhibitId: meta?.exhibitId ?? '',
      contentVersion: meta?.contentVersion ?? '',
      at: (opts.now ?? (() => new Date()))().toISOString(),
      action: opts.auto ? 'auto-rollback' : 'rollback',
      source: `rollback from ${from}`,
      note: opts.note,
    });
    state.history = state.history.slice(-50);
    await writeState(store, state);
    return { version: target, from };
  });
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
