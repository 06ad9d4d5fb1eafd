/**
 * The inbox: a folder (a USB stick, a network share) where staff drop
 * content packages. A package is taken only once its copy has really
 * finished: a `NAME.done` marker beside it says so outright; without one, its
 * size and mtime must hold still for a wait that grows with its size, and its
 * end (the zip's central directory) must be there, so a copy that stalls is
 * waited for, not refused as cut short. A bad package is moved to `rejected/`
 * with a `.txt` saying why (for people looking at the folder; the scan itself
 * reports the problems as data); a good one is applied and moved to
 * `applied/`. Nothing staff put there is ever deleted.
 *
 * Every package file's SHA-256 and what became of it is kept in the store, so
 * a package is handled once, even on a read-only share and across restarts,
 * and a version that was rolled back is never installed again from here. A
 * rejected package that changes afterwards (the copy went on into the moved
 * file) is taken back and looked at again, and its wrong note removed.
 */
import type { KeyObject } from 'node:crypto';
import { open, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Problem } from '../contract/problems.js';
import { ContentError } from './errors.js';
import { formatProblem } from './load.js';
import {
  applyContent,
  fingerprintFile,
  readState,
  recordPackage,
  RejectedContent,
  type ApplyResult,
  type PackageRecord,
} from './store.js';
import { isPackageNoSpace } from './zip-extract.js';

/** Sub-folders the inbox keeps its history in. */
const INBOX_DIRS = { applied: 'applied', rejected: 'rejected' } as const;

/** Names that say a copy is still in progress (browsers, rsync, Windows Explorer, our own `pack`). */
const IN_PROGRESS = /\.(?:part|partial|crdownload|download|tmp|filepart)$|^\.~|~$/i;

/** The suffix of a marker file that says the package beside it is completely copied. */
const DONE_SUFFIX = '.done';

/** A package this big (MiB) must hold still twice the base time; a big copy over a slow share stalls longer. */
const QUIET_DOUBLES_AT_MIB = 25;
/** The most extra quiet time a big package can ask for. */
const MAX_EXTRA_QUIET_MS = 2 * 60 * 1000;
/** A file whose end never arrives is refused as cut short after holding still this long. */
export const GIVE_UP_MS = 10 * 60 * 1000;
/** How long a package that could not be installed for the kiosk's own reasons waits before the next try. */
const RETRY_MS = 60 * 1000;

/** How long a package of `size` bytes must hold still before it counts as copied. */
export function quietNeeded(size: number, stableMs: number): number {
  const extra = (stableMs * size) / 1024 ** 2 / QUIET_DOUBLES_AT_MIB;
  return Math.round(stableMs + Math.min(MAX_EXTRA_QUIET_MS, extra));
}

/** A size and modification time seen at one moment. */
export interface Observation {
  size: number;
  mtimeMs: number;
  /** When this exact size and mtime were first seen. */
  since: number;
}

/** What the inbox makes of one entry at one moment. */
export type InboxVerdict =
  | { status: 'ignored' }
  | { status: 'copying'; reason: string }
  | { status: 'waiting'; reason: string }
  | { status: 'ready' };

/**
 * Decides what to do with one inbox entry. Pure: it compares what is seen now
 * with what was seen before. A package is ready at once when its `.done`
 * marker is there; otherwise once its size and mtime have stayed the same for
 * {@link quietNeeded}, and its mtime is at least that old.
 */
export function classify(
  name: string,
  now: { size: number; mtimeMs: number; isFile: boolean; done?: boolean },
  before: Observation | undefined,
  at: number,
  stableMs: number,
): { verdict: InboxVerdict; observation?: Observation } {
  if (!now.isFile || name.startsWith('.') || name.endsWith('.txt')) return { verdict: { status: 'ignored' } };
  if (IN_PROGRESS.test(name)) {
    return { verdict: { status: 'copying', reason: `"${name}" is still being copied (temporary name)` } };
  }
  if (!/\.zip$/i.test(name)) return { verdict: { status: 'ignored' } };
  const same = before && before.size === now.size && before.mtimeMs === now.mtimeMs;
  const observation: Observation = same ? before : { size: now.size, mtimeMs: now.mtimeMs, since: at };
  if (now.done) return { verdict: { status: 'ready' }, observation };
  const needed = quietNeeded(now.size, stableMs);
  const quietFor = Math.min(at - observation.since, at - now.mtimeMs);
  if (!same || quietFor < needed) {
    return {
      verdict: {
        status: 'waiting',
        reason: `"${name}" changed recently; waiting until it has been still for ${Math.round(needed / 1000)} s`,
      },
      observation,
    };
  }
  return { verdict: { status: 'ready' }, observation };
}

/**
 * True when the file could be a zip whose copy stopped midway: it starts like
 * a zip but lacks the end-of-central-directory record in its last 64 KiB. A
 * file that does not even start like a zip is no copy in progress: it is
 * judged (and refused) at once.
 */
async function lacksZipEnd(file: string): Promise<boolean> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return false;
  try {
    const head = Buffer.alloc(4);
    await handle.read(head, 0, 4, 0);
    if (head.readUInt32LE(0) !== 0x04034b50) return false;
    return !(await endsLikeZip(handle));
  } finally {
    await handle.close();
  }
}

async function endsLikeZip(handle: import('node:fs/promises').FileHandle): Promise<boolean> {
  {
    const { size } = await handle.stat();
    const length = Math.min(size, 65_535 + 22);
    if (length < 22) return false;
    const buf = Buffer.alloc(length);
    await handle.read(buf, 0, length, size - length);
    for (let i = length - 22; i >= 0; i--) {
      if (buf.readUInt32LE(i) === 0x06054b50 && i + 22 + buf.readUInt16LE(i + 20) === length) return true;
    }
    return false;
  }
}

/** One thing the inbox did or decided during a scan. */
export type InboxEvent =
  /** `stalled`: the file has held still for the quiet time, but the end of the zip has not arrived. */
  | { kind: 'waiting'; name: string; reason: string; stalled?: boolean }
  | { kind: 'applied'; name: string; result: ApplyResult; movedTo?: string }
  | {
      kind: 'rejected';
      name: string;
      reason: string;
      /** The errors found in the package's content; empty when it could not be read at all. */
      problems: Problem[];
      movedTo?: string;
    }
  /** Not installed for the kiosk's own reasons (a full disk, the store busy); kept and tried again. */
  | { kind: 'kept'; name: string; reason: string; diskFull: boolean }
  /** This exact file was installed, refused or rolled back before; not taken again. */
  | { kind: 'skipped'; name: string; reason: string; movedTo?: string }
  /** A refused package changed since; it is back in the inbox to be looked at again. */
  | { kind: 'retaken'; name: string; reason: string };

/** Options for {@link createInbox}. */
export interface InboxOptions {
  /** The least time a package must stay unchanged before it is taken; it grows with size. Default 5 s. */
  stableMs?: number;
  now?: () => number;
  /** Install packages older than the current version. */
  allowOlder?: boolean;
  /** When not empty, only packages signed by one of these keys are installed. */
  publicKeys?: readonly KeyObject[];
  /** Only signed packages, even when no key could be read. */
  requireSigned?: boolean;
}

/** A watched inbox; call `scan()` on a timer or on file-system events. */
export interface Inbox {
  readonly dir: string;
  /** Looks at the inbox once: waits on, applies or rejects each package. */
  scan(): Promise<InboxEvent[]>;
}

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

/** A name in `folder` that does not exist yet: `name`, else `name` with a time stamp before the extension. */
async function freeName(folder: string, name: string, at: number): Promise<string> {
  if (!(await exists(path.join(folder, name)))) return name;
  const stamp = new Date(at).toISOString().replace(/[:.]/g, '-');
  const dot = name.search(/\.zip$/i);
  const base = dot >= 0 ? name.slice(0, dot) : name;
  const ext = dot >= 0 ? name.slice(dot) : '';
  for (let i = 0; ; i++) {
    const candidate = `${base}.${stamp}${i ? `-${i}` : ''}${ext}`;
    if (!(await exists(path.join(folder, candidate)))) return candidate;
  }
}

/** What a past outcome means for a file seen again. */
const AGAIN: Record<PackageRecord['outcome'], string> = {
  applied: 'this exact package was installed before',
  rejected: 'this exact package was refused before',
  'rolled-back': 'this exact package was rolled back before; pack a corrected version',
};

/**
 * Watches `dir` for packages to install into `store`. Moves are renames
 * inside the inbox; if the inbox is read-only the package stays where it is,
 * and its fingerprint in the store keeps it from being tried again.
 */
export function createInbox(dir: string, store: string, opts: InboxOptions = {}): Inbox {
  const root = path.resolve(dir);
  const stableMs = opts.stableMs ?? 5000;
  const clock = opts.now ?? Date.now;
  const seen = new Map<string, Observation>();
  /** Files (name, size, mtime) already dealt with in this run: not even hashed again. */
  const handled = new Set<string>();
  /** Files to leave alone until a time: kept for the kiosk's own reasons. */
  const retryAt = new Map<string, number>();

  const move = async (name: string, sub: string, at: number): Promise<string | undefined> => {
    try {
      const folder = path.join(root, sub);
      await mkdir(folder, { recursive: true });
      const target = await freeName(folder, name, at);
      await rename(path.join(root, name), path.join(folder, target));
      // The marker goes with its package, so it never vouches for the next copy of the same name.
      await rename(path.join(root, name + DONE_SUFFIX), path.join(folder, target + DONE_SUFFIX)).catch(
        () => undefined,
      );
      return path.join(sub, target);
    } catch {
      return undefined;
    }
  };

  /** Takes back refused packages that changed after they were moved (their copy had not finished). */
  const retake = async (events: InboxEvent[]) => {
    const state = await readState(store).catch(() => undefined);
    for (const r of state?.packages ?? []) {
      if (r.outcome !== 'rejected' || !r.movedTo || r.size === undefined) continue;
      const file = path.join(root, r.movedTo);
      const info = await stat(file).catch(() => undefined);
      if (!info || (info.size === r.size && info.mtimeMs === r.mtimeMs)) continue;
      const back = path.join(root, r.name);
      if (await exists(back)) continue;
      try {
        await rename(file, back);
      } catch {
        continue;
      }
      await rm(`${file}.txt`, { force: true }).catch(() => undefined);
      events.push({
        kind: 'retaken',
        name: r.name,
        reason: `"${r.name}" changed after it was refused (its copy went on); looking at it again`,
      });
    }
  };

  const writeNote = async (
    movedTo: string,
    name: string,
    at: number,
    reason: string,
    problems: Problem[],
  ) => {
    const text = [
      `${name} was not installed on ${new Date(at).toISOString()}.`,
      '',
      reason,
      ...(problems.length ? ['', 'Problems:', ...problems.map(formatProblem)] : []),
      '',
      'The kiosk keeps showing the version it had. Fix the content, pack it again and copy the new package here.',
      '',
    ].join('\n');
    await writeFile(path.join(root, `${movedTo}.txt`), text).catch(() => undefined);
  };

  const reject = async (
    name: string,
    at: number,
    reason: string,
    problems: Problem[],
    fingerprint: { sha256: string; size: number; mtimeMs: number } | undefined,
  ): Promise<InboxEvent> => {
    const movedTo = await move(name, INBOX_DIRS.rejected, at);
    if (movedTo) await writeNote(movedTo, name, at, reason, problems);
    if (fingerprint) {
      const moved = movedTo ? await stat(path.join(root, movedTo)).catch(() => undefined) : undefined;
      await recordPackage(store, {
        sha256: fingerprint.sha256,
        name,
        outcome: 'rejected',
        reason,
        at: new Date(at).toISOString(),
        movedTo,
        size: moved?.size ?? fingerprint.size,
        mtimeMs: moved?.mtimeMs ?? fingerprint.mtimeMs,
      }).catch(() => undefined);
    }
    return { kind: 'rejected', name, reason, problems, movedTo };
  };

  const takeOne = async (name: string, at: number, size: number, mtimeMs: number): Promise<InboxEvent> => {
    const file = path.join(root, name);
    const sha256 = await fingerprintFile(file);
    const known = (await readState(store).catch(() => undefined))?.packages.find((p) => p.sha256 === sha256);
    if (known) {
      const movedTo = await move(
        name,
        known.outcome === 'applied' ? INBOX_DIRS.applied : INBOX_DIRS.rejected,
        at,
      );
      return { kind: 'skipped', name, reason: AGAIN[known.outcome], movedTo };
    }
    try {
      const result = await applyContent(file, store, {
        source: `inbox ${file}`,
        refuseRolledBack: true,
        allowOlder: opts.allowOlder,
        publicKeys: opts.publicKeys,
        requireSigned: opts.requireSigned,
        fingerprint: { sha256, name },
      });
      const movedTo = await move(name, INBOX_DIRS.applied, at);
      return { kind: 'applied', name, result, movedTo };
    } catch (err) {
      if (isPackageNoSpace(err)) {
        retryAt.set(name, at + RETRY_MS);
        return { kind: 'kept', name, reason: `disk full: ${(err as Error).message}`, diskFull: true };
      }
      if (err instanceof ContentError && err.exitCode !== 1 && !(err instanceof RejectedContent)) {
        retryAt.set(name, at + RETRY_MS);
        return { kind: 'kept', name, reason: err.message, diskFull: false };
      }
      // Anything else, even an exception nobody expected, is this package's fault: refused once.
      const reason = err instanceof Error ? err.message : String(err);
      const problems =
        err instanceof RejectedContent ? err.problems.filter((p) => p.severity === 'error') : [];
      return reject(name, at, reason, problems, { sha256, size, mtimeMs });
    }
  };

  return {
    dir: root,
    async scan() {
      const events: InboxEvent[] = [];
      await retake(events);
      const names = await readdir(root).catch(() => [] as string[]);
      const present = new Set(names);
      for (const name of names.sort()) {
        const at = clock();
        const info = await stat(path.join(root, name)).catch(() => undefined);
        if (!info) continue;
        const key = `${name}\u0000${info.size}\u0000${info.mtimeMs}`;
        if (handled.has(key) || (retryAt.get(name) ?? 0) > at) continue;
        const done = present.has(name + DONE_SUFFIX);
        const { verdict, observation } = classify(
          name,
          { size: info.size, mtimeMs: info.mtimeMs, isFile: info.isFile(), done },
          seen.get(name),
          at,
          stableMs,
        );
        if (observation) seen.set(name, observation);
        if (verdict.status === 'ignored') continue;
        if (verdict.status === 'copying' || verdict.status === 'waiting') {
          events.push({ kind: 'waiting', name, reason: verdict.reason });
          continue;
        }
        // Still for long enough, but the zip's end is missing: the copy has stalled, not finished.
        if (!done && (await lacksZipEnd(path.join(root, name)))) {
          const stillFor = at - Math.max(observation?.since ?? at, info.mtimeMs);
          if (stillFor < GIVE_UP_MS) {
            events.push({
              kind: 'waiting',
              name,
              reason: `"${name}" is still being copied (its end has not arrived yet)`,
              stalled: true,
            });
            continue;
          }
        }
        retryAt.delete(name);
        const event = await takeOne(name, at, info.size, info.mtimeMs);
        // A package kept for a retry stays known as still, so the retry takes it at once.
        if (event.kind !== 'kept') seen.delete(name);
        if (event.kind !== 'kept' && !('movedTo' in event && event.movedTo)) handled.add(key);
        events.push(event);
      }
      return events;
    },
  };
}

/** One sentence for staff saying what a look at the inbox did. */
export function describeInbox(events: InboxEvent[]): string {
  const parts: string[] = [];
  for (const e of events) {
    if (e.kind === 'applied')
      parts.push(
        e.result.changed
          ? `installed ${e.name} (version ${e.result.contentVersion}); visitors see it from the next idle reset`
          : `${e.name} holds the version shown now; nothing changed`,
      );
    else if (e.kind === 'rejected') parts.push(`refused ${e.name}: ${e.reason.replace(/^rejected: /, '')}`);
    else if (e.kind === 'kept')
      parts.push(
        e.diskFull
          ? `kept ${e.name} in the inbox: the disk is full; it is tried again once there is room`
          : `kept ${e.name} in the inbox: ${e.reason}; it is tried again in a minute`,
      );
    else if (e.kind === 'skipped') parts.push(`left ${e.name} alone: ${e.reason}`);
    else if (e.kind === 'waiting') parts.push(`waiting for ${e.name}: ${e.reason.replace(/^"[^"]*" /, '')}`);
  }
  if (parts.length === 0) return 'Nothing new in the inbox.';
  const text = parts.join('; ');
  return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
}
