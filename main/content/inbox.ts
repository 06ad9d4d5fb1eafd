/**
 * The inbox: a folder (a USB stick, a network share) where staff drop
 * content packages. A package is taken only once it has stopped changing, so
 * one still being copied is left alone; a bad package is moved to
 * `rejected/` with a `.txt` saying why (for people looking at the folder; the
 * scan itself reports the problems as data); a good one is applied and moved to
 * `applied/`. Nothing staff put there is ever deleted.
 */
import { mkdir, readdir, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Problem } from '../contract/problems.js';
import { ContentError } from './errors.js';
import { formatProblem } from './load.js';
import { applyContent, RejectedContent, type ApplyResult } from './store.js';

/** Sub-folders the inbox keeps its history in. */
const INBOX_DIRS = { applied: 'applied', rejected: 'rejected' } as const;

/** Names that say a copy is still in progress (browsers, rsync, Windows Explorer, our own `pack`). */
const IN_PROGRESS = /\.(?:part|partial|crdownload|download|tmp|filepart)$|^\.~|~$/i;

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
 * with what was seen before. A package is ready once its size and mtime have
 * stayed the same for `stableMs`, and its mtime is at least that old.
 */
export function classify(
  name: string,
  now: { size: number; mtimeMs: number; isFile: boolean },
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
  const quietFor = Math.min(at - observation.since, at - now.mtimeMs);
  if (!same || quietFor < stableMs) {
    return {
      verdict: {
        status: 'waiting',
        reason: `"${name}" changed recently; waiting until it has been still for ${Math.round(stableMs / 1000)} s`,
      },
      observation,
    };
  }
  return { verdict: { status: 'ready' }, observation };
}

/** One thing the inbox did or decided during a scan. */
export type InboxEvent =
  | { kind: 'waiting'; name: string; reason: string }
  | { kind: 'applied'; name: string; result: ApplyResult; movedTo?: string }
  | {
      kind: 'rejected';
      name: string;
      reason: string;
      /** The errors found in the package's content; empty when it could not be read at all. */
      problems: Problem[];
      movedTo?: string;
    };

/** Options for {@link createInbox}. */
export interface InboxOptions {
  /** How long a package must stay unchanged before it is taken. Default 5 s. */
  stableMs?: number;
  now?: () => number;
}

/** A watched inbox; call `scan()` on a timer or on file-system events. */
export interface Inbox {
  readonly dir: string;
  /** Looks at the inbox once: waits on, applies or rejects each package. */
  scan(): Promise<InboxEvent[]>;
}

/** A name in `folder` that does not exist yet: `name`, else `name` with a time stamp before the extension. */
async function freeName(folder: string, name: string, at: number): Promise<string> {
  const exists = (n: string) =>
    stat(path.join(folder, n)).then(
      () => true,
      () => false,
    );
  if (!(await exists(name))) return name;
  const stamp = new Date(at).toISOString().replace(/[:.]/g, '-');
  const dot = name.search(/\.zip$/i);
  const base = dot >= 0 ? name.slice(0, dot) : name;
  const ext = dot >= 0 ? name.slice(dot) : '';
  for (let i = 0; ; i++) {
    const candidate = `${base}.${stamp}${i ? `-${i}` : ''}${ext}`;
    if (!(await exists(candidate))) return candidate;
  }
}

/**
 * Watches `dir` for packages to install into `store`. Moves are renames
 * inside the inbox; if the inbox is read-only the package stays where it is
 * and is remembered, so it is not tried again until it changes.
 */
export function createInbox(dir: string, store: string, opts: InboxOptions = {}): Inbox {
  const root = path.resolve(dir);
  const stableMs = opts.stableMs ?? 5000;
  const clock = opts.now ?? Date.now;
  const seen = new Map<string, Observation>();
  const handled = new Set<string>();

  const move = async (name: string, sub: string, at: number): Promise<string | undefined> => {
    try {
      const folder = path.join(root, sub);
      await mkdir(folder, { recursive: true });
      const target = await freeName(folder, name, at);
      await rename(path.join(root, name), path.join(folder, target));
      return path.join(sub, target);
    } catch {
      return undefined;
    }
  };

  return {
    dir: root,
    async scan() {
      const events: InboxEvent[] = [];
      const names = await readdir(root).catch(() => [] as string[]);
      for (const name of names.sort()) {
        const at = clock();
        const info = await stat(path.join(root, name)).catch(() => undefined);
        if (!info) continue;
        const key = `${name}\u0000${info.size}\u0000${info.mtimeMs}`;
        if (handled.has(key)) continue;
        const { verdict, observation } = classify(
          name,
          { size: info.size, mtimeMs: info.mtimeMs, isFile: info.isFile() },
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
        seen.delete(name);
        try {
          const result = await applyContent(path.join(root, name), store, {
            source: `inbox ${path.join(root, name)}`,
          });
          const movedTo = await move(name, INBOX_DIRS.applied, at);
          if (!movedTo) handled.add(key);
          events.push({ kind: 'applied', name, result, movedTo });
        } catch (err) {
          if (!(err instanceof ContentError) || err.exitCode !== 1) throw err;
          const problems =
            err instanceof RejectedContent ? err.problems.filter((p) => p.severity === 'error') : [];
          const movedTo = await move(name, INBOX_DIRS.rejected, at);
          if (movedTo) {
            const text = [
              `${name} was not installed on ${new Date(at).toISOString()}.`,
              '',
              err.message,
              ...(problems.length ? ['', 'Problems:', ...problems.map(formatProblem)] : []),
              '',
              'The kiosk keeps showing the version it had. Fix the content, pack it again and copy the new package here.',
              '',
            ].join('\n');
            await writeFile(path.join(root, `${movedTo}.txt`), text).catch(() => undefined);
          } else {
            handled.add(key);
          }
          events.push({ kind: 'rejected', name, reason: err.message, problems, movedTo });
        }
      }
      return events;
    },
  };
}
