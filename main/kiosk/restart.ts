/**
 * The restart protocol between a kiosk process and `npm start`'s supervisor
 * (main/cli/launcher.ts): supervised, the kiosk asks for a fresh start by its
 * exit code instead of relaunching itself, so the new process is watched too.
 * Both sides read it from here.
 */

/**
 * The exit code a supervised Electron kiosk uses to ask `npm start` for a
 * fresh start (the staff panel's "restart", recovery's relaunch) instead of
 * `app.relaunch()`, whose new process the supervisor would not be watching.
 */
export const RESTART_EXIT_CODE = 75;
/** Set to `1` in the environment of an Electron kiosk that `npm start`'s `KioskSupervisor` watches. */
export const SUPERVISED_ENV = 'VITRINE_SUPERVISED';

/** Whether this process runs under `npm start`'s supervisor (which then does the relaunching). */
function isSupervised(env: Record<string, string | undefined>): boolean {
  return env[SUPERVISED_ENV] === '1';
}

/** The app calls a restart needs. */
export interface RestartableApp {
  relaunch(): void;
  exit(code: number): void;
}

/**
 * Restarts the Electron app: under `npm start`'s supervisor by exiting with
 * {@link RESTART_EXIT_CODE} (it starts a watched new one), otherwise with
 * `app.relaunch()` and a clean exit.
 */
export function restartApp(app: RestartableApp, env: Record<string, string | undefined>): void {
  if (isSupervised(env)) {
    app.exit(RESTART_EXIT_CODE);
    return;
  }
  app.relaunch();
  app.exit(0);
}
