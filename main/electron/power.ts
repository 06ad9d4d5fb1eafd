/**
 * Keeps the kiosk's display awake for as long as the app runs: an exhibit that
 * blanks after ten minutes looks broken to the next visitor.
 */

/** Electron's `powerSaveBlocker`, as far as this module uses it. */
export interface PowerSaveBlockerApi {
  start(type: 'prevent-app-suspension' | 'prevent-display-sleep'): number;
  stop(id: number): boolean;
  isStarted(id: number): boolean;
}

/** Handle returned by {@link keepDisplayAwake}. */
export interface DisplayAwake {
  /** True while the blocker is held. */
  active(): boolean;
  /** Releases the blocker (on quit). Safe to call twice. */
  release(): void;
}

/** Starts a `prevent-display-sleep` blocker and returns a handle to release it. */
export function keepDisplayAwake(blocker: PowerSaveBlockerApi): DisplayAwake {
  const id = blocker.start('prevent-display-sleep');
  return {
    active: () => blocker.isStarted(id),
    release: () => {
      if (blocker.isStarted(id)) blocker.stop(id);
    },
  };
}
