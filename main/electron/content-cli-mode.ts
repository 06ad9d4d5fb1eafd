/**
 * `vitrine --content-cli COMMAND ...`: the content CLI (main/kiosk/content-cli.ts)
 * run by the installed app binary itself, in its main process, with no window.
 * An installed kiosk has no Node of its own and its fuses forbid
 * `ELECTRON_RUN_AS_NODE`, so this is how a technician validates, installs or
 * rolls back content on it. It uses the same user-data folder as the kiosk,
 * so it finds the same `config.json` and content store.
 */

/** The content CLI's entry (main/kiosk/content-cli.ts `runContentCli`). */
type ContentCliMain = (argv: string[]) => Promise<number>;

/** The app calls the mode needs. */
interface ContentCliApp {
  setName(name: string): void;
  exit(code: number): void;
}

/** What {@link runContentCliMode} needs, injected so tests need no Electron. */
export interface ContentCliDeps {
  app: ContentCliApp;
  /** Loads the content CLI (a dynamic import, so a kiosk start never loads it). */
  load: () => Promise<ContentCliMain>;
  stderr: (line: string) => void;
}

/** Runs the content CLI with `args` and exits the app with its exit code; a failure to load it exits 1. */
export async function runContentCliMode(args: readonly string[], deps: ContentCliDeps): Promise<number> {
  // The same name as the kiosk, so userData (config.json, the store, staff.json) is the same folder.
  deps.app.setName('Vitrine');
  let code: number;
  try {
    const run = await deps.load();
    code = await run([...args]);
  } catch (error) {
    deps.stderr(`vitrine --content-cli: ${error instanceof Error ? error.message : String(error)}`);
    code = 1;
  }
  deps.app.exit(code);
  return code;
}
