/**
 * What one start of the app binary is for, decided before anything else runs
 * (pure, over `app.isPackaged`, argv and environment): the kiosk, the content
 * CLI (`vitrine --content-cli validate DIR`), or a refusal.
 *
 * An installed kiosk fails closed: it refuses to start with a debugger or
 * remote-debugging switch on its command line (anyone who can reach its
 * autostart entry could otherwise drive it), and ignores the development
 * variables that would open DevTools or a framed window. The fuses in
 * electron.config.ts already make Electron drop Node's inspector flags; this
 * also covers Chromium's remote debugging, and says so in the log.
 */

/** Switches an installed kiosk refuses: each opens the app to a debugger. */
const DEBUG_SWITCHES = [
  '--inspect',
  '--inspect-brk',
  '--inspect-port',
  '--inspect-publish-uid',
  '--debug',
  '--debug-brk',
  '--remote-debugging-port',
  '--remote-debugging-pipe',
  '--remote-debugging-address',
  '--remote-allow-origins',
] as const;

/** Development variables an installed kiosk ignores. */
const DEV_ONLY_ENV = ['VITRINE_DEV', 'VITRINE_WINDOWED'] as const;

/** The switch that runs the content CLI in the app binary instead of the kiosk. */
const CONTENT_CLI_SWITCH = '--content-cli';

/** What this start of the app does. */
export type LaunchMode =
  | { kind: 'kiosk'; ignoredEnv: string[] }
  | { kind: 'content-cli'; args: string[] }
  | { kind: 'refuse'; message: string; switches: string[] };

/** What {@link decideLaunch} decides from. */
export interface LaunchFacts {
  isPackaged: boolean;
  /** `process.argv` without the executable (Electron's app path, in development, comes first). */
  argv: readonly string[];
  env: Record<string, string | undefined>;
}

/** The debugging switches on a command line (`--inspect`, `--inspect=9229`, `--remote-debugging-port=0`...). */
export function debugSwitches(argv: readonly string[]): string[] {
  const found: string[] = [];
  for (const arg of argv) {
    // Node also reads `--inspect-brk` spelt with underscores.
    const name = arg.split('=', 1)[0]!.replace(/_/g, '-');
    if ((DEBUG_SWITCHES as readonly string[]).includes(name)) found.push(name);
  }
  return found;
}

/** Decides the launch mode (pure). */
export function decideLaunch(facts: LaunchFacts): LaunchMode {
  if (facts.isPackaged) {
    const switches = debugSwitches(facts.argv);
    if (switches.length > 0) {
      return {
        kind: 'refuse',
        switches,
        message: `refusing to start: ${switches.join(', ')} would open the installed kiosk to a debugger`,
      };
    }
  }
  const at = facts.argv.indexOf(CONTENT_CLI_SWITCH);
  if (at >= 0) return { kind: 'content-cli', args: facts.argv.slice(at + 1) };
  const ignoredEnv = facts.isPackaged ? DEV_ONLY_ENV.filter((name) => facts.env[name]?.trim()) : [];
  return { kind: 'kiosk', ignoredEnv };
}

/**
 * Chromium switches the kiosk sets on itself before `ready`: a sideways swipe
 * never becomes "browser back"; on Linux, cookies are not tied to the desktop
 * keyring, whose unlock dialog would otherwise pop up over the exhibit after
 * an auto-login (the kiosk keeps no secrets in cookies).
 */
export function kioskChromiumSwitches(platform: NodeJS.Platform): Array<[name: string, value: string]> {
  return [
    ['overscroll-history-navigation', '0'],
    ...(platform === 'linux' ? [['password-store', 'basic'] as [string, string]] : []),
  ];
}
