/**
 * The loaded exhibit. Keeps the last good content on screen whatever the
 * host does: a failed reload or a dropped stream never blanks the kiosk.
 */
import type { Exhibit } from '../../main/contract/exhibit.js';
import { fetchExhibit, reportError, watchContent } from './api.js';

/** The exhibit as the screens see it, reloaded when the host announces a new version. */
export class Content {
  exhibit = $state.raw<Exhibit | null>(null);
  version = $state.raw<string | null>(null);
  /** `loading` before the first answer, `unavailable` while there has never been valid content. */
  status = $state<'loading' | 'ready' | 'unavailable'>('loading');

  #retry: ReturnType<typeof setTimeout> | undefined;
  #delay = 2000;
  #stopWatching: (() => void) | undefined;

  /**
   * Decides when an announced version replaces what is shown: by default at once.
   * The staff layer (issue 4) defers it to the next idle reset, never mid-visit.
   */
  schedule: (version: string, apply: () => Promise<void>) => void = (_version, apply) => void apply();

  /** Loads the exhibit now and keeps it current. */
  start(): void {
    void this.load();
    this.#stopWatching = watchContent((version) => {
      if (version !== this.version) this.schedule(version, () => this.load());
    });
  }

  stop(): void {
    clearTimeout(this.#retry);
    this.#stopWatching?.();
  }

  /** Fetches the exhibit; on failure keeps what is shown and tries again later. */
  async load(): Promise<void> {
    clearTimeout(this.#retry);
    const result = await fetchExhibit();
    if (result.ok) {
      this.exhibit = result.value.exhibit;
      this.version = result.value.version;
      this.status = 'ready';
      this.#delay = 2000;
      return;
    }
    reportError('content', result.reason);
    if (!this.exhibit) this.status = 'unavailable';
    this.#retry = setTimeout(() => void this.load(), this.#delay);
    this.#delay = Math.min(60_000, this.#delay * 2);
  }
}

/** The kiosk's one content store. */
export const content = new Content();
