/**
 * A live view of one content folder: the last good exhibit, the problems of
 * the latest load, and a notification whenever a new good version is ready.
 * A reload that fails never replaces what visitors see.
 */
import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { EXHIBIT_FILE, loadExhibit, type Problem } from './load.js';
import type { Exhibit } from './schema.js';

/** One valid version of the content. */
export interface ContentSnapshot {
  exhibit: Exhibit;
  /** Absolute path of the content folder. */
  dir: string;
  /** Short SHA-256 of the `exhibit.yaml` text; changes exactly when the file's text does. */
  version: string;
  loadedAt: Date;
}

/** Options for {@link createContentSource}. */
export interface ContentSourceOptions {
  /** Reload by itself when `exhibit.yaml` changes on disk. */
  watch?: boolean;
  /** How long the file must stay quiet before a reload, so one save is one reload. */
  debounceMs?: number;
}

/** The live content of one folder. */
export interface ContentSource {
  /** Absolute path of the content folder (its `media/` lies inside). */
  readonly dir: string;
  /** The last good version, or undefined if there has never been one. */
  current(): ContentSnapshot | undefined;
  /** The problems of the most recent load (errors if it failed, else warnings). */
  problems(): Problem[];
  /** Calls `fn` with each new good version; returns the unsubscribe function. */
  subscribe(fn: (snapshot: ContentSnapshot) => void): () => void;
  /** Loads the folder again now. Never throws. */
  reload(): Promise<void>;
  /** Stops watching. */
  close(): void;
}

/** The short content version for an exhibit text. */
export function contentVersion(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

/**
 * Loads `dir` once and returns its live view. Resolves even when the content
 * is invalid: `current()` is then undefined and `problems()` says why.
 */
export async function createContentSource(
  dir: string,
  opts: ContentSourceOptions = {},
): Promise<ContentSource> {
  const root = path.resolve(dir);
  let snapshot: ContentSnapshot | undefined;
  let problems: Problem[] = [];
  const listeners = new Set<(s: ContentSnapshot) => void>();
  let watcher: FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  // Loads run one after another so a slow early load never overwrites a later one.
  let chain: Promise<void> = Promise.resolve();

  const loadOnce = async () => {
    const result = await loadExhibit(root);
    problems = result.problems;
    if (!result.ok || result.source === undefined) return;
    const version = contentVersion(result.source);
    if (snapshot?.version === version) return;
    snapshot = { exhibit: result.exhibit, dir: root, version, loadedAt: new Date() };
    const fresh = snapshot;
    for (const fn of [...listeners]) {
      try {
        fn(fresh);
      } catch {
        // One broken listener must not stop the others from hearing of the new version.
      }
    }
  };

  const reload = () => {
    chain = chain.then(loadOnce, loadOnce);
    return chain;
  };

  await reload();

  if (opts.watch) {
    const debounceMs = opts.debounceMs ?? 150;
    try {
      // Watching the folder, not the file: editors often save by writing a new file and renaming it.
      watcher = watch(root, { persistent: false }, (_event, filename) => {
        if (closed || (filename !== null && filename !== EXHIBIT_FILE)) return;
        clearTimeout(timer);
        timer = setTimeout(() => void reload(), debounceMs);
      });
      watcher.on('error', () => watcher?.close());
    } catch {
      watcher = undefined;
    }
  }

  return {
    dir: root,
    current: () => snapshot,
    problems: () => problems,
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    reload,
    close() {
      closed = true;
      clearTimeout(timer);
      watcher?.close();
      listeners.clear();
    },
  };
}
