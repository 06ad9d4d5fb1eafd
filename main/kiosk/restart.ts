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

/** What `app.relaunch()` takes: the program to start and its arguments (Electron's defaults: this process's). */
interface RelaunchOptions {
  execPath?: string;
  args?: string[];
}

/** The app calls a restart needs. */
export interface RestartableApp {
  relaunch(options?: RelaunchOptions): void;
  exit(code: number): void;
}

/**
 * How to relaunch this process. Inside an AppImage, `process.execPath` lies in
 * the image's temporary mount, which is gone once this process exits, so a
 * plain `app.relaunch()` never comes back (electron-builder#1727): relaunch
 * the AppImage file itself (`$APPIMAGE`, set by its runtime) with our
 * arguments. Elsewhere (deb, Windows installer, development) the defaults work.
 */
function relaunchOptions(
  env: Record<string, string | undefined>,
  argv: readonly string[],
): RelaunchOptions | undefined {
  const appImage = env.APPIMAGE?.trim();
  return appImage ? { execPath: appImage, args: argv.slice(1) } : undefined;
}

/**
 * Restarts the Electron app: under `npm start`'s supervisor by exiting with
 * {@link RESTART_EXIT_CODE} (it starts a watched new one), otherwise with
 * `app.relaunch()` (see {@link relaunchOptions}) and a clean exit.
 */
export function restartApp(
  app: RestartableApp,
  env: Record<string, string | undefined>,
  argv: readonly string[] = process.argv,
): void {
  if (isSupervised(env)) {
    app.exit(RESTART_EXIT_CODE);
    return;
  }
  const options = relaunchOptions(env, argv);
  if (options) app.relaunch(options);
  else app.relaunch();
  app.exit(0);
}
