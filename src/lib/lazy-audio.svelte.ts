/**
 * The kiosk's audio (the service and Howler with it) loads after the first paint rather
 * than in the entry bundle: nothing on the attract loop's first frame needs it.
 */
import type { AudioState } from './audio/audio.svelte';

/** Holds the one {@link AudioState} once its module has loaded. */
class LazyAudio {
  /** The audio state, or null until {@link load} has finished. Reactive. */
  current = $state.raw<AudioState | null>(null);
  #loading: Promise<AudioState> | undefined;

  /** Loads the audio module (once); the app connects it to the visit. */
  load(): Promise<AudioState> {
    this.#loading ??= import('./audio/audio.svelte').then((m) => (this.current = m.audio));
    return this.#loading;
  }
}

/** The kiosk's one lazily loaded audio. */
export const lazyAudio = new LazyAudio();
