/**
 * The loaded exhibit. Keeps the last good content on screen whatever the
 * host does: a failed reload or a dropped stream never blanks the kiosk.
 */
import type { Exhibit, HostFeatures } from '../../main/contract/exhibit.js';
import type { ScheduleEvent } from '../../main/contract/schedule.js';
import {
  fetchExhibit,
  inlineExhibit,
  inlineSchedule,
  reportError,
  watchContent,
  type LoadedExhibit,
} from './api.js';
import { setExhibitStrings } from './i18n/index.js';

/** Decides when an announced `version` replaces what is shown; `load` shows it. */
type UpdateSchedule = (version: string, load: () => Promise<void>) => void;

/** The exhibit as the screens see it, reloaded when the host announces a new version. */
class Content {
  exhibit = $state.raw<Exhibit | null>(null);
  version = $state.raw<string | null>(null);
  /** Which optional routes the host serves (staff, editors' preview); null before the first answer. */
  host = $state.raw<HostFeatures | null>(null);
  /** `loading` before the first answer, `unavailable` while there has never been valid content. */
  status = $state<'loading' | 'ready' | 'unavailable'>('loading');

  #retry: ReturnType<typeof setTimeout> | undefined;
  #delay = 2000;
  #stopWatching: (() => void) | undefined;

  /**
   * Loads the exhibit now and keeps it current: each version the host announces goes to
   * `schedule`, which decides when `load` puts it on screen (the visit: at the next reset).
   * The host's opening hours, heard on the same stream, go to `onOpeningHours`.
   */
  start(schedule: UpdateSchedule, onOpeningHours?: (event: ScheduleEvent) => void): void {
    // The page the host served carries the exhibit: the first screen needs no second request.
    const inline = inlineExhibit();
    if (inline?.ok) this.#show(inline.value);
    else {
      if (inline) reportError('content', inline.reason);
      void this.load();
    }
    // So is whether it is open: a kiosk started in closed hours draws its black screen first.
    const hours = inlineSchedule();
    if (hours) onOpeningHours?.(hours);
    this.#stopWatching = watchContent((version) => {
      if (version !== this.version) schedule(version, () => this.load());
    }, onOpeningHours);
  }

  stop(): void {
    clearTimeout(this.#retry);
    this.#stopWatching?.();
  }

  #show(loaded: LoadedExhibit): void {
    setExhibitStrings(loaded.exhibit.interface);
    this.exhibit = loaded.exhibit;
    this.version = loaded.version;
    this.host = loaded.host;
    this.status = 'ready';
    this.#delay = 2000;
  }

  /** Fetches the exhibit; on failure keeps what is shown and tries again later. */
  async load(): Promise<void> {
    clearTimeout(this.#retry);
    const result = await fetchExhibit();
    if (result.ok) {
      this.#show(result.value);
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
