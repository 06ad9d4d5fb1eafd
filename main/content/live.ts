/**
 * Live updates for a running kiosk. It serves the current version of the
 * content store and keeps watching two places for a newer one:
 *
 * - the content folder (where staff edit `exhibit.yaml` and `media/`; see `folder-feed.ts`), and
 * - the inbox (a USB stick or a network share where packages are dropped; see `inbox.ts`).
 *
 * Each candidate goes through the store (validated, staged, swapped in with one
 * atomic rename, the previous version kept), so an invalid version never reaches
 * visitors. The renderer is told on `/api/events` and switches only at its next
 * idle reset; how the new version then reaches the screen, and when it is rolled
 * back by itself, is the rollout's business (`rollout.ts`). This module wires
 * those parts together, runs every change through one queue, and says where
 * things stand for the staff panel.
 */
import type { KeyObject } from 'node:crypto';
import path from 'node:path';
import type { Problem } from '../contract/problems.js';
import type { ContentStatus, StaffActionResult } from '../contract/staff.js';
import { createFolderFeed, type FolderCandidate } from './folder-feed.js';
import { createInbox, describeInbox, type Inbox, type InboxEvent } from './inbox.js';
import { formatProblem, loadExhibit, type LoadResult } from './load.js';
import { Rollout, systemClock, type RolloutState } from './rollout.js';
import { createSerialQueue } from '../common/serial-queue.js';
import type { ContentSnapshot, ContentSource } from './source.js';
import {
  applyContent,
  checkVersionFiles,
  confirmVersion,
  countTrialStart,
  crashProblem,
  emptyState,
  readState,
  recoverStore,
  repairState,
  rollbackContent,
  takeInterrupted,
  type StoreState,
} from './store.js';

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
  /** Install inbox packages older than the current version (`allowOlder` in config.json). */
  allowOlder?: boolean;
  /** When not empty, only inbox packages signed by one of these keys are installed. */
  publicKeys?: readonly KeyObject[];
  /** Only signed inbox packages, even when no key could be read (`publicKeys` set in config.json). */
  requireSigned?: boolean;
}

/** The running live-update service. */
export interface LiveContent {
  /** The content the handler serves; its `dir` follows the current version. */
  readonly source: ContentSource;
  status(): ContentStatus;
  /** Looks once at the store, the content folder and the inbox. */
  poll(): Promise<void>;
  /** Takes packages from the inbox now, without waiting for the next poll; `result` says what it did. */
  applyFromInbox(): Promise<InboxEvent[] & StaffActionResult>;
  /** Makes the previous version current again. */
  rollback(): Promise<{ version: string; from: string } & StaffActionResult>;
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

/** How many starts an unconfirmed version gets before it is rolled back at once. */
const MAX_TRIAL_STARTS = 3;

/** Calls each listener; one that throws must not stop the others. */
function notify<A extends unknown[]>(listeners: Set<(...args: A) => void>, ...args: A): void {
  for (const fn of [...listeners]) {
    try {
      fn(...args);
    } catch {
      // A broken listener must not stop updates.
    }
  }
}

/** Everything the staff panel's view of the content is made from. */
interface LiveView {
  contentDir: string;
  store: string;
  /** The version served, and the problems of the last load. */
  snapshot: ContentSnapshot | undefined;
  problems: Problem[];
  state: StoreState;
  rollout: RolloutState;
  /** The report of the newest candidate, if there was one since start. */
  report: ContentStatus['report'];
  inbox: ContentStatus['inbox'];
  /** Now, as an ISO time. */
  at: string;
}

/** The staff panel's view of the content. */
function projectStatus(v: LiveView): ContentStatus {
  const { state, snapshot } = v;
  const meta = [...state.history].reverse().find((h) => h.version === state.current);
  return {
    version: snapshot?.version,
    contentVersion: meta?.contentVersion ?? snapshot?.exhibit.version,
    exhibitId: meta?.exhibitId ?? snapshot?.exhibit.id,
    installedAt: meta?.at,
    installedFrom: meta?.source,
    previous: state.previous,
    confirmed: v.rollout.confirmed,
    pending: v.rollout.pending,
    // No candidate yet: what is wrong (or not) with what is served.
    report: v.report ?? {
      at: v.at,
      source: 'current',
      ok: snapshot !== undefined,
      lines: v.problems.map(formatProblem),
    },
    autoRollback: v.rollout.autoRollback,
    inbox: v.inbox,
    contentDir: v.contentDir,
    store: v.store,
    history: [...state.history].reverse().slice(0, 10),
  };
}

/** Starts serving and watching. Resolves once the first version (if any) is loaded. */
export async function createLiveContent(opts: LiveOptions): Promise<LiveContent> {
  const now = opts.now ?? Date.now;
  const iso = () => new Date(now()).toISOString();
  const date = () => new Date(now());
  const log = opts.log ?? ((line: string) => console.log(line));
  const onError = opts.onError ?? (() => {});
  const contentDir = path.resolve(opts.contentDir);
  const store = path.resolve(opts.store);
  const confirmMs = opts.confirmMs ?? 30_000;
  let firstDrawn = false;
  const folder = createFolderFeed({ contentDir, store, now });
  const inbox: Inbox | undefined = opts.inbox
    ? createInbox(opts.inbox, store, {
        stableMs: opts.stableMs ?? 5000,
        now,
        allowOlder: opts.allowOlder,
        publicKeys: opts.publicKeys,
        requireSigned: opts.requireSigned || (opts.publicKeys?.length ?? 0) > 0,
      })
    : undefined;
  // One change at a time: polls, staff actions and rollbacks never interleave.
  const serial = createSerialQueue();

  /** What is served: the last good version and the problems of the last load. */
  let snapshot: ContentSnapshot | undefined;
  let problems: Problem[] = [];
  let state: StoreState = emptyState();
  /** The validation report of the newest candidate, from the folder or the inbox. */
  let report: ContentStatus['report'];
  /** Why the content folder was last refused (a link out of it, a missing file…), for a kiosk with nothing installed. */
  let folderProblems: Problem[] = [];
  /** The inbox's packages still being copied, and the last one taken or refused. */
  let inboxSeen: { waiting: string[]; last?: string } = { waiting: [] };
  let pollTimer: NodeJS.Timeout | undefined;
  let closed = false;
  const listeners = new Set<(s: ContentSnapshot) => void>();
  const changeListeners = new Set<() => void>();
  const changed = () => notify(changeListeners);
  const lines = (list: Problem[]) => list.map(formatProblem);

  /** {@link loadExhibit} that never throws: an exception (a YAML alias bomb) is one error problem. */
  const loadSafely = async (dir: string): Promise<LoadResult> => {
    try {
      return await loadExhibit(dir);
    } catch (err) {
      return { ok: false, problems: [crashProblem(err)] };
    }
  };

  /** Versions found unloadable in this run, with why: never served or rolled back to again. */
  const damaged = new Map<string, string>();
  /** The content folder was installed as a last resort once; not again and again. */
  let seeded = false;
  /** A confirmation the store has not taken yet (it was busy); written at the next look. */
  let unsaved: string | undefined;

  const noteStore = (message: string) => {
    onError('content', message);
    log(message);
  };

  /** Loads `dir` as version `version` and, if it differs from what is served, announces it. */
  const serve = async (dir: string, version: string): Promise<boolean> => {
    if (snapshot?.version === version) return true;
    // Files lost from the version folder (deleted pictures) are damage too, not 404s for visitors.
    const lost = await checkVersionFiles(dir);
    const result = lost ? { ok: false as const, problems: [lost] } : await loadSafely(dir);
    if (!result.ok) {
      problems = result.problems;
      return false;
    }
    const first = snapshot === undefined;
    snapshot = { exhibit: result.exhibit, dir, version, loadedAt: date() };
    problems = result.problems;
    rollout.served(version);
    if (!first) log(`Content ${version} is ready; visitors see it from the next idle reset.`);
    notify(listeners, snapshot);
    changed();
    return true;
  };

  /**
   * Serves the store's current version; when it cannot be loaded (files
   * missing, exhibit.yaml broken), goes back to the previous version, and
   * when none can be loaded, installs the content folder as the last resort.
   */
  const serveStoreCurrent = async (): Promise<void> => {
    state = await readState(store, noteStore);
    const current = state.current;
    if (!current) return;
    if (!damaged.has(current) && (await serve(path.join(store, 'versions', current), current))) return;
    if (!damaged.has(current)) {
      const why = lines(problems)[0] ?? 'it cannot be loaded';
      damaged.set(current, why);
      noteStore(`version ${current} is damaged (${why}); going back to an earlier one`);
    }
    if (state.previous && !damaged.has(state.previous)) {
      const reason = `version ${current} is damaged: ${damaged.get(current)}`;
      try {
        const { version } = await rollbackContent(store, { auto: true, note: reason, now: date });
        rollout.restored(current, version, reason);
        return serveStoreCurrent();
      } catch (err) {
        noteStore(`could not go back from the damaged version ${current}: ${String(err)}`);
      }
    }
    if (seeded) return;
    seeded = true;
    try {
      await applyContent(contentDir, store, {
        source: `folder ${contentDir}`,
        now: date,
        force: true,
        allowOlder: true,
      });
      noteStore(`no installed version could be loaded; started again from ${contentDir}`);
      return serveStoreCurrent();
    } catch (err) {
      noteStore(`no installed version could be loaded, nor ${contentDir}: ${String(err)}`);
    }
  };

  /** Puts the store back before `bad` and serves what it restored; undefined if it could not. */
  const rollBack = async (bad: string, reason: string): Promise<string | undefined> => {
    try {
      state = await readState(store, noteStore);
      if (state.current !== bad || !state.previous || damaged.has(state.previous)) {
        onError('content', `version ${bad} failed to render and there is no previous version: ${reason}`);
        return undefined;
      }
      const { version } = await rollbackContent(store, { auto: true, note: reason, now: date });
      onError('content', `version ${bad} failed to render (${reason}); rolled back to ${version}`);
      log(`Rolled back by itself from ${bad} to ${version}: ${reason}`);
      await serveStoreCurrent();
      return version;
    } catch (err) {
      onError(
        'content',
        `version ${bad} failed to render (${reason}) and could not be rolled back: ${String(err)}`,
      );
      return undefined;
    }
  };

  /** Stores that a renderer drew `version`; if the store is busy, the next look tries again. */
  const saveConfirmed = async (version: string) => {
    try {
      await confirmVersion(store, version);
      unsaved = undefined;
    } catch {
      unsaved = version;
    }
  };

  const rollout = new Rollout({
    confirmMs,
    clock: systemClock(now),
    rollBack,
    run: serial,
    onChange: changed,
    onConfirmed: (version) => void serial(async () => (closed ? undefined : saveConfirmed(version))),
  });

  /** Tells staff, once, about an apply that was interrupted and cleaned up. */
  const reportInterrupted = async () => {
    const found = await takeInterrupted(store);
    if (!found) return;
    const when = found.at ? new Date(found.at) : undefined;
    const hhmm = when
      ? `${String(when.getHours()).padStart(2, '0')}:${String(when.getMinutes()).padStart(2, '0')}`
      : undefined;
    const line = `An apply was interrupted${hhmm ? ` at ${hhmm}` : ''}; ${
      found.removed ? 'its files were removed' : 'its lock was cleared'
    }. Visitors kept the version they had.`;
    report = { at: iso(), source: 'store', ok: false, lines: [line] };
    onError('content', line);
    log(line);
  };

  const takeFromFolder = (candidate: FolderCandidate) => {
    if (candidate.ok) {
      report = { at: iso(), source: candidate.source, ok: true, lines: lines(candidate.warnings) };
      if (candidate.changed) log(`Installed ${candidate.version} from ${contentDir}.`);
    } else {
      report = {
        at: iso(),
        source: candidate.source,
        ok: false,
        lines: [candidate.message, ...lines(candidate.problems)],
      };
      const first = candidate.problems.find((p) => p.severity === 'error');
      folderProblems = candidate.problems;
      onError(
        'content',
        `${contentDir} was not installed: ${first ? formatProblem(first) : candidate.message}`,
      );
      log(
        `Not installed (visitors keep the last good version): ${candidate.message}${first ? `: ${formatProblem(first)}` : ''}`,
      );
    }
    changed();
  };

  const checkFolder = async (settled: boolean) => {
    if (opts.seedOnly && state.current) return;
    const candidate = await folder.check(settled);
    if (candidate) takeFromFolder(candidate);
  };

  const takeFromInbox = (events: InboxEvent[]) => {
    let last = inboxSeen.last;
    for (const e of events) {
      if (e.kind === 'applied') {
        last = `${e.name} installed as ${e.result.version}`;
        report = { at: iso(), source: `inbox ${e.name}`, ok: true, lines: lines(e.result.warnings) };
        log(`Inbox: ${last}.`);
      } else if (e.kind === 'rejected') {
        last = `${e.name} refused: ${e.reason}`;
        report = { at: iso(), source: `inbox ${e.name}`, ok: false, lines: [e.reason, ...lines(e.problems)] };
        onError('inbox', last);
        log(`Inbox: ${last}.`);
      } else if (e.kind === 'kept') {
        last = e.diskFull
          ? `${e.name} kept for a retry: disk full`
          : `${e.name} kept for a retry: ${e.reason}`;
        report = { at: iso(), source: `inbox ${e.name}`, ok: false, lines: [e.reason] };
        onError('inbox', last);
        log(`Inbox: ${last}.`);
      } else if (e.kind === 'skipped' || e.kind === 'retaken') {
        log(`Inbox: ${e.name}: ${e.reason}.`);
      }
    }
    inboxSeen = { waiting: events.filter((e) => e.kind === 'waiting').map((e) => e.name), last };
    changed();
  };

  const scanInbox = async (): Promise<InboxEvent[]> => {
    if (!inbox) return [];
    try {
      const events = await inbox.scan();
      takeFromInbox(events);
      return events;
    } catch (err) {
      onError('inbox', `the inbox ${inbox.dir} could not be read: ${String(err)}`);
      return [];
    }
  };

  const pollOnce = async () => {
    await reportInterrupted();
    if (unsaved) await saveConfirmed(unsaved);
    await checkFolder(false);
    await scanInbox();
    await serveStoreCurrent();
  };

  // Start-up never fails because of what is on disk: every step reports and goes on.
  await serial(async () => {
    const step = async (what: string, fn: () => Promise<void>) => {
      try {
        await fn();
      } catch (err) {
        noteStore(`${what} failed at start: ${err instanceof Error ? err.message : String(err)}`);
      }
    };
    await step('cleaning up the content store', () => recoverStore(store));
    await step('reading the content store', reportInterrupted);
    await step('repairing the content store', async () => void (await repairState(store, noteStore)));
    await step('reading the content store', serveStoreCurrent);
    await step('checking the content folder', () => checkFolder(true));
    await step('reading the content store', serveStoreCurrent);
    // Nothing valid installed: report what is wrong with the folder.
    if (!snapshot) {
      const result = await loadSafely(contentDir);
      // A folder that loads but was refused (e.g. for a link out of it) still has to say why.
      problems = result.ok && folderProblems.length > 0 ? folderProblems : result.problems;
      if (!report && !result.ok) {
        report = { at: iso(), source: `folder ${contentDir}`, ok: false, lines: lines(result.problems) };
      }
    }
    // A current version no renderer ever drew is on trial again, so one that crashes every start goes back.
    const current = snapshot?.version;
    const last = [...state.history].reverse().find((h) => h.version === current);
    const cameBack = last?.action === 'rollback' || last?.action === 'auto-rollback';
    if (
      current &&
      state.current === current &&
      state.previous &&
      !cameBack &&
      !state.confirmed.includes(current)
    ) {
      rollout.trial(current);
      const starts = await countTrialStart(store, current).catch(() => 0);
      // Restarted before the confirm timer could run out, again and again: the screen never drew it.
      // Queued after this start-up job (awaiting it here would wait for itself).
      if (starts > MAX_TRIAL_STARTS)
        void rollout.failed(`the kiosk started ${starts - 1} times with it and it was never drawn`);
    } else rollout.started();
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
    status: () =>
      projectStatus({
        contentDir,
        store,
        snapshot,
        problems,
        state,
        rollout: rollout.state,
        report,
        inbox: inbox ? { dir: inbox.dir, ...inboxSeen } : undefined,
        at: iso(),
      }),
    poll: () => serial(pollOnce),
    applyFromInbox: () =>
      serial(async () => {
        const events = await scanInbox();
        await serveStoreCurrent();
        return Object.assign(events, { result: describeInbox(events) });
      }),
    rollback: () =>
      serial(async () => {
        const result = await rollbackContent(store, { now: date, onNote: noteStore });
        await serveStoreCurrent();
        return {
          ...result,
          result: `Went back to ${result.version}; ${result.from} can be restored with Roll back again.`,
        };
      }),
    rendererApplying: (version) => rollout.applying(version),
    rendererRendered: (version) => {
      // One line per start, for the technician: how long from starting the kiosk to a drawn screen.
      if (!firstDrawn) {
        firstDrawn = true;
        log(
          `First screen drawn (content ${version}) ${(process.uptime() * 1000).toFixed(0)} ms after the kiosk process started.`,
        );
      }
      rollout.rendered(version);
    },
    rendererFailed: (message) => rollout.failed(message),
    onChange(fn) {
      changeListeners.add(fn);
      return () => changeListeners.delete(fn);
    },
    close() {
      closed = true;
      clearTimeout(pollTimer);
      rollout.close();
      listeners.clear();
      changeListeners.clear();
    },
  };
  return live;
}
