/**
 * The kiosk's side of the content store: watches the store and an inbox,
 * holds a newly applied version back until the next idle reset (never in the
 * middle of a visit), and rolls back by itself when a version fails to render.
 *
 * The host owns the timing: it calls `commitAtIdle()` when the visitor state
 * resets, and `renderFailed()` when the renderer reports it cannot show the
 * content. Everything else runs on a timer.
 */
import path from 'node:path';
import { createInbox, type Inbox, type InboxEvent } from './inbox.js';
import { readState, rollbackContent } from './store.js';

/** A version in the store, with its folder. */
export interface StoreVersion {
  version: string;
  dir: string;
}

/** Something that happened, for logs and the staff panel. */
export type LiveStoreEvent =
  | { kind: 'pending'; version: string; dir: string }
  | { kind: 'shown'; version: string; dir: string }
  | { kind: 'rolled-back'; version: string; dir: string; from: string; reason: string }
  | { kind: 'inbox'; event: InboxEvent }
  | { kind: 'error'; message: string };

/** Options for {@link createLiveStore}. */
export interface LiveStoreOptions {
  store: string;
  /** A folder to take packages from (USB stick, network share). */
  inbox?: string;
  /** How often to look at the store and the inbox; 0 for no timer (tests call `poll()`). Default 2000. */
  pollMs?: number;
  /** How long an inbox package must stay unchanged before it is taken. Default 5000. */
  stableMs?: number;
}

/** The live view of a content store. */
export interface LiveStore {
  /** The version visitors see; changes only at `commitAtIdle()` or a rollback. */
  shown(): StoreVersion | undefined;
  /** A newer current version waiting for the next idle reset. */
  pending(): StoreVersion | undefined;
  /** Looks at the inbox and the store once. Never throws. */
  poll(): Promise<LiveStoreEvent[]>;
  /** Call at an idle reset: the pending version becomes the shown one. Returns it, if there was one. */
  commitAtIdle(): StoreVersion | undefined;
  /**
   * Call when the shown version cannot be rendered: the store rolls back to
   * the previous version, which is shown at once. Returns it, or undefined if
   * there is nothing to go back to.
   */
  renderFailed(reason: string): Promise<StoreVersion | undefined>;
  subscribe(fn: (e: LiveStoreEvent) => void): () => void;
  close(): void;
}

/** Starts watching a store (and an inbox). The current version is shown at once. */
export async function createLiveStore(opts: LiveStoreOptions): Promise<LiveStore> {
  const store = path.resolve(opts.store);
  const at = (version: string): StoreVersion => ({ version, dir: path.join(store, 'versions', version) });
  const listeners = new Set<(e: LiveStoreEvent) => void>();
  const inbox: Inbox | undefined = opts.inbox
    ? createInbox(opts.inbox, store, { stableMs: opts.stableMs ?? 5000 })
    : undefined;
  const initial = await readState(store).catch(() => ({ current: undefined }));
  let shown: StoreVersion | undefined = initial.current ? at(initial.current) : undefined;
  let pending: StoreVersion | undefined;
  let busy: Promise<LiveStoreEvent[]> | undefined;

  const emit = (events: LiveStoreEvent[]) => {
    for (const e of events) {
      for (const fn of [...listeners]) {
        try {
          fn(e);
        } catch {
          // A failing listener must not stop the others.
        }
      }
    }
    return events;
  };

  const pollOnce = async (): Promise<LiveStoreEvent[]> => {
    const events: LiveStoreEvent[] = [];
    if (inbox) {
      try {
        for (const event of await inbox.scan())
          if (event.kind !== 'waiting') events.push({ kind: 'inbox', event });
      } catch (err) {
        events.push({ kind: 'error', message: `inbox: ${(err as Error).message}` });
      }
    }
    try {
      const { current } = await readState(store);
      if (current && current !== shown?.version && current !== pending?.version) {
        pending = at(current);
        events.push({ kind: 'pending', ...pending });
      } else if (current === shown?.version) {
        // Rolled back by staff from the command line before the pending version was shown.
        pending = undefined;
      }
    } catch (err) {
      events.push({ kind: 'error', message: (err as Error).message });
    }
    return emit(events);
  };

  const poll = () => {
    // One poll at a time: a slow apply must not be started twice.
    busy ??= pollOnce().finally(() => {
      busy = undefined;
    });
    return busy;
  };

  const timer = opts.pollMs === 0 ? undefined : setInterval(() => void poll(), opts.pollMs ?? 2000);
  timer?.unref();

  return {
    shown: () => shown,
    pending: () => pending,
    poll,
    commitAtIdle() {
      if (!pending) return undefined;
      shown = pending;
      pending = undefined;
      emit([{ kind: 'shown', ...shown }]);
      return shown;
    },
    async renderFailed(reason) {
      const failed = shown?.version;
      const state = await readState(store);
      if (!failed || state.current !== failed || !state.previous) return undefined;
      try {
        const r = await rollbackContent(store, { auto: true, note: reason });
        shown = at(r.version);
        pending = undefined;
        emit([{ kind: 'rolled-back', ...shown, from: failed, reason }]);
        return shown;
      } catch (err) {
        emit([{ kind: 'error', message: `rollback failed: ${(err as Error).message}` }]);
        return undefined;
      }
    },
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    close() {
      if (timer) clearInterval(timer);
      listeners.clear();
    },
  };
}
