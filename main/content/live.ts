/**
 * Live updates for a running kiosk. It serves the current version of the
 * content store and keeps watching two places for a newer one:
 *
 * - the content folder (where staff edit `exhibit.yaml` and `media/`), and
 * - the inbox (a USB stick or a network share where packages are dropped).
 *
 * Each candidate goes through the store (validated, staged, swapped in with one
 * atomic rename, the previous version kept), so an invalid version never reaches
 * visitors. The renderer is told on `/api/events` and switches only at its next
 * idle reset; it then says `applying` and, once drawn, `rendered`. If it reports
 * an error in between, or stays silent for `confirmMs`, the kiosk rolls back by
 * itself and remembers why for the staff panel.
 */
import { lstat, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ContentStatus, PendingVersion } from '../contract/staff.js';
import { ContentError } from './errors.js';
import { createInbox, type Inbox, type InboxEvent } from './inbox.js';
import { formatProblem, loadExhibit, type Problem } from './load.js';
import type { ContentSnapshot, ContentSource } from './source.js';
import {
  applyContent,
  readState,
  RejectedContent,
  rollbackContent,
  type HistoryEntry,
  type StoreState,
} from './store.js';
import { validateContent } from './validate.js';

/** Options for {@link createLiveContent}. */
export interface LiveOptions {
  /** The content folder staff edit; also what a fresh store starts from. */
  contentDir: string;
  /** The content store (see `store.ts`). */
  store: string;
  /** The inbox folder, if any. */
  inbox?: string;
  /**
   * Use the content folder only to start an empty store, never watch it. For the bundled exhibit:
   * an app update that changes it must not replace the museum's own content.
   */
  seedOnly?: boolean;
  /** Look for changes this often (ms). Default 2000. 0 = never by itself (tests call `poll()`). */
  pollMs?: number;
  /** How long an inbox package must stay unchanged before it is taken. Default 5000 ms. */
  stableMs?: number;
  /** How long the renderer has to confirm a new version after it starts applying it. Default 30 s. */
  confirmMs?: number;
  now?: () => number;
  /** Told about each thing that happened, one line (default: stdout). */
  log?: (line: string) => void;
  /** Told about each error, for the staff panel's list. */
  onError?: (source: string, message: string) => void;
}

/** The running live-update service. */
export interface LiveContent {
  /** The content the handler serves; its `dir` follows the current version. */
  readonly source: ContentSource;
  status(): ContentStatus;
  /** Looks once at the store, the content folder and the inbox. */
  poll(): Promise<void>;
  /** Takes packages from the inbox now, without waiting for the next poll. */
  applyFromInbox(): Promise<InboxEvent[]>;
  /** Makes the previous version current again. */
  rollback(): Promise<{ version: string; from: string }>;
  /** The renderer started drawing `version`. */
  rendererApplying(version: string): void;
  /** The renderer drew `version` without error. */
  rendererRendered(version: string): void;
  /** The renderer reported an error; rolls back if a new version was being drawn. */
  rendererFailed(message: string): Promise<boolean>;
  /** Calls `fn` whenever the status changes. */
  onChange(fn: () => void): () => void;
  close(): void;
}

/** The small memo the live service keeps in the store: what it last took from the content folder. */
const MEMO_FILE = 'live.json';

/** A cheap fingerprint of a folder: every file's path, size and modification time. */
async function folderSignature(root: string): Promise<string | undefined> {
  const parts: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(path.join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(childRel);
      else {
        const info = await lstat(path.join(root, childRel)).catch(() => undefined);
        if (info) parts.push(`${childRel}\u0000${info.size}\u0000${Math.round(info.mtimeMs)}`);
      }
    }
  };
  try {
    await lstat(path.join(root, 'exhibit.yaml'));
  } catch {
    return undefined;
  }
  await walk('');
  return parts.sort().join('\n');
}

/** Starts serving and watching. Resolves once the first version (if any) is loaded. */
export async function createLiveContent(opts: LiveOptions): Promise<LiveContent> {
  const now = opts.now ?? Date.now;
  const iso = () => new Date(now()).toISOString();
  const log = opts.log ?? ((line: string) => console.log(line));
  const onError = opts.onError ?? (() => {});
  const contentDir = path.resolve(opts.contentDir);
  const store = path.resolve(opts.store);
  const confirmMs = opts.confirmMs ?? 30_000;
  const inbox: Inbox | undefined = opts.inbox
    ? createInbox(opts.inbox, store, { stableMs: opts.stableMs ?? 5000, now })
    : undefined;

  let snapshot: ContentSnapshot | undefined;
  let problems: Problem[] = [];
  let state: StoreState = { history: [] };
  let report: ContentStatus['report'];
  let pending: PendingVersion | undefined;
  let confirmed = false;
  let autoRollback: ContentStatus['autoRollback'];
  let inboxWaiting: string[] = [];
  let inboxLast: string | undefined;
  let confirmTimer: NodeJS.Timeout | undefined;
  let pollTimer: NodeJS.Timeout | undefined;
  let closed = false;
  const listeners = new Set<(s: ContentSnapshot) => void>();
  const changeListeners = new Set<() => void>();
  // One change at a time: polls, staff actions and renderer reports never interleave.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = chain.then(fn, fn);
    chain = run.catch(() => undefined);
    return run;
  };

  const changed = () => {
    for (const fn of [...changeListeners]) {
      try {
        fn();
      } catch {
        // A broken status listener must not stop updates.
      }
    }
  };

  const problemLines = (list: Problem[]) => list.map(formatProblem);

  /** Loads `dir` as version `version` and, if it differs from what is served, announces it. */
  const serve = async (dir: string, version: string): Promise<boolean> => {
    if (snapshot?.version === version) return true;
    const result = await loadExhibit(dir);
    if (!result.ok) {
      problems = result.problems;
      onError('content', `version ${version} could not be loaded: ${problemLines(result.problems)[0] ?? ''}`);
      return false;
    }
    const first = snapshot === undefined;
    snapshot = { exhibit: result.exhibit, dir, version, loadedAt: new Date(now()) };
    problems = result.problems;
    if (!first) {
      confirmed = false;
      pending = { version, state: 'waiting', since: iso() };
      log(`Content ${version} is ready; visitors see it from the next idle reset.`);
    }
    const fresh = snapshot;
    for (const fn of [...listeners]) {
      try {
        fn(fresh);
      } catch {
        // One broken listener must not stop the others.
      }
    }
    changed();
    return true;
  };

  const serveStoreCurrent = async () => {
    state = await readState(store);
    if (state.current) await serve(path.join(store, 'versions', state.current), state.current);
  };

  const readMemo = async (): Promise<{ folder?: string; signature?: string }> => {
    try {
      return JSON.parse(await readFile(path.join(store, MEMO_FILE), 'utf8')) as {
        folder?: string;
        signature?: string;
      };
    } catch {
      return {};
    }
  };

  /** Installs the content folder into the store when it changed since it was last taken. */
  /** The folder's fingerprint at the previous look: a change is taken only once it has stopped. */
  let lastSeen: string | undefined;
  const checkFolder = async (settled: boolean) => {
    if (opts.seedOnly && state.current) return;
    const signature = await folderSignature(contentDir);
    if (signature === undefined) return;
    const memo = await readMemo();
    if (memo.folder === contentDir && memo.signature === signature) return;
    // Files still being copied or saved change between two looks; wait until they hold still.
    const still = signature === lastSeen;
    lastSeen = signature;
    if (!settled && !still) return;
    const source = `folder ${contentDir}`;
    try {
      const result = await applyContent(contentDir, store, { source, now: () => new Date(now()) });
      report = { at: iso(), source, ok: true, lines: problemLines(result.warnings) };
      if (result.changed) log(`Installed ${result.version} from ${contentDir}.`);
    } catch (err) {
      if (err instanceof RejectedContent) {
        report = { at: iso(), source, ok: false, lines: [err.message, ...problemLines(err.problems)] };
        const first = err.problems.find((p) => p.severity === 'error');
        onError('content', `${contentDir} was not installed: ${first ? formatProblem(first) : err.message}`);
        log(`Not installed (visitors keep the last good version): ${err.message}`);
      } else if (err instanceof ContentError) {
        // Another update is running (the CLI): try again at the next poll.
        return;
      } else throw err;
    }
    await writeFile(
      path.join(store, MEMO_FILE),
      `${JSON.stringify({ folder: contentDir, signature })}\n`,
    ).catch(() => undefined);
    changed();
  };

  const handleInboxEvents = async (events: InboxEvent[]) => {
    inboxWaiting = events.filter((e) => e.kind === 'waiting').map((e) => e.name);
    for (const e of events) {
      if (e.kind === 'applied') {
        inboxLast = `${e.name} installed as ${e.result.version}`;
        report = { at: iso(), source: `inbox ${e.name}`, ok: true, lines: problemLines(e.result.warnings) };
        log(`Inbox: ${inboxLast}.`);
      } else if (e.kind === 'rejected') {
        inboxLast = `${e.name} refused: ${e.reason}`;
        let lines = [e.reason];
        // The problems, one a line, are in the note the inbox wrote beside the refused package.
        if (e.movedTo && inbox) {
          const note = await readFile(path.join(inbox.dir, `${e.movedTo}.txt`), 'utf8').catch(() => '');
          const after = note.split('\nProblems:\n')[1];
          if (after) lines = [e.reason, ...after.split('\n\n')[0]!.split('\n').filter(Boolean)];
        }
        report = { at: iso(), source: `inbox ${e.name}`, ok: false, lines };
        onError('inbox', inboxLast);
        log(`Inbox: ${inboxLast}.`);
      }
    }
    changed();
  };

  const scanInbox = async () => {
    if (!inbox) return [];
    try {
      const events = await inbox.scan();
      await handleInboxEvents(events);
      return events;
    } catch (err) {
      onError('inbox', `the inbox ${inbox.dir} could not be read: ${String(err)}`);
      return [];
    }
  };

  const pollOnce = async () => {
    await checkFolder(false);
    await scanInbox();
    await serveStoreCurrent();
  };

  const autoRollbackNow = async (reason: string): Promise<boolean> => {
    const bad = pending?.version ?? snapshot?.version;
    clearTimeout(confirmTimer);
    if (!bad || confirmed) return false;
    state = await readState(store);
    if (state.current !== bad || !state.previous) {
      onError('content', `version ${bad} failed to render and there is no previous version: ${reason}`);
      return false;
    }
    const { version } = await rollbackContent(store, {
      auto: true,
      note: reason,
      now: () => new Date(now()),
    });
    autoRollback = { at: iso(), version: bad, restored: version, reason };
    onError('content', `version ${bad} failed to render (${reason}); rolled back to ${version}`);
    log(`Rolled back by itself from ${bad} to ${version}: ${reason}`);
    pending = undefined;
    await serveStoreCurrent();
    // The restored version was on screen before, so it needs no new confirmation.
    pending = undefined;
    confirmed = true;
    changed();
    return true;
  };

  await serial(async () => {
    await serveStoreCurrent();
    await checkFolder(true);
    await serveStoreCurrent();
    if (!snapshot) {
      // Nothing valid installed: report what is wrong with the folder.
      const result = await loadExhibit(contentDir);
      problems = result.problems;
    }
    // The first version a kiosk starts with is confirmed by the renderer like any other,
    // but is not "pending": there is nothing older to wait for.
    pending = undefined;
  });

  const schedule = () => {
    if (closed || opts.pollMs === 0) return;
    pollTimer = setTimeout(() => {
      void serial(pollOnce)
        .catch((err) => onError('content', `live update check failed: ${String(err)}`))
        .finally(schedule);
    }, opts.pollMs ?? 2000);
  };
  schedule();

  const source: ContentSource = {
    get dir() {
      return snapshot?.dir ?? contentDir;
    },
    current: () => snapshot,
    problems: () => problems,
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    reload: () => serial(pollOnce),
    close: () => live.close(),
  };

  const live: LiveContent = {
    source,
    status() {
      const meta = [...state.history].reverse().find((h) => h.version === state.current);
      return {
        version: snapshot?.version,
        contentVersion: meta?.contentVersion ?? snapshot?.exhibit.version,
        exhibitId: meta?.exhibitId ?? snapshot?.exhibit.id,
        installedAt: meta?.at,
        installedFrom: meta?.source,
        previous: state.previous,
        confirmed,
        pending,
        report: report ?? {
          at: iso(),
          source: 'current',
          ok: snapshot !== undefined,
          lines: problemLines(problems),
        },
        autoRollback,
        inbox: inbox ? { dir: inbox.dir, waiting: inboxWaiting, last: inboxLast } : undefined,
        contentDir,
        store,
        history: [...state.history].reverse().slice(0, 10),
      };
    },
    poll: () => serial(pollOnce),
    applyFromInbox: () =>
      serial(async () => {
        const events = await scanInbox();
        await serveStoreCurrent();
        return events;
      }),
    rollback: () =>
      serial(async () => {
        const result = await rollbackContent(store, { now: () => new Date(now()) });
        await serveStoreCurrent();
        return result;
      }),
    rendererApplying(version) {
      if (!pending || pending.version !== version || confirmed) return;
      pending = { version, state: 'applying', since: iso() };
      clearTimeout(confirmTimer);
      confirmTimer = setTimeout(() => {
        void serial(() =>
          autoRollbackNow(`the kiosk did not confirm it within ${Math.round(confirmMs / 1000)} s`),
        );
      }, confirmMs);
      changed();
    },
    rendererRendered(version) {
      if (snapshot?.version !== version) return;
      clearTimeout(confirmTimer);
      confirmed = true;
      pending = undefined;
      changed();
    },
    rendererFailed(message) {
      if (!pending || pending.state !== 'applying') return Promise.resolve(false);
      return serial(() => autoRollbackNow(message));
    },
    onChange(fn) {
      changeListeners.add(fn);
      return () => changeListeners.delete(fn);
    },
    close() {
      closed = true;
      clearTimeout(pollTimer);
      clearTimeout(confirmTimer);
      listeners.clear();
      changeListeners.clear();
    },
  };
  return live;
}

/**
 * For the editors' preview: the same source, but `problems()` is the full
 * archive-aware check (`validateContent`: missing files, fake JPEGs, credits,
 * alt text, caption length...) of the folder as it is now, refreshed every
 * `intervalMs`, not only the schema check of the last load.
 */
export function withFullValidation(source: ContentSource, intervalMs = 1500): ContentSource {
  let problems: Problem[] = source.problems();
  let running = false;
  let closed = false;
  const check = async () => {
    if (running || closed) return;
    running = true;
    try {
      problems = (await validateContent(source.dir)).problems;
    } catch {
      problems = source.problems();
    } finally {
      running = false;
    }
  };
  void check();
  const timer = setInterval(() => void check(), intervalMs);
  timer.unref?.();
  return {
    get dir() {
      return source.dir;
    },
    current: () => source.current(),
    problems: () => problems,
    subscribe: (fn) => source.subscribe(fn),
    reload: async () => {
      await source.reload();
      await check();
    },
    close() {
      closed = true;
      clearInterval(timer);
      source.close();
    },
  };
}
