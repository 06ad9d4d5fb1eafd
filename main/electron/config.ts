/**
 * The Electron host's configuration: the shared flags (main/kiosk/flags.ts)
 * plus environment variables, validated by zod into one typed object before
 * anything else starts.
 */
import { z } from 'zod';
import { Settings } from '../content/schema.js';
import { parseArgs } from '../kiosk/flags.js';
import { builtRendererDir, bundledExhibitDir, isBundledExhibit, packageRoot } from '../kiosk/paths.js';

/** Flags of the shared parser; everything else on Electron's command line belongs to Chromium. */
const VALUE_FLAGS = [
  '--port',
  '--content',
  '--inbox',
  '--idle-seconds',
  '--attract-seconds',
  '--countdown-seconds',
  '--channel',
  '--metrics-port',
];
const BOOLEAN_FLAGS = ['--no-open', '--help', '-h'];

/**
 * Picks our flags out of Electron's argv, which also holds the executable, the
 * app path and Chromium switches (e.g. `--inspect=0` when Playwright drives it).
 */
export function pickKioskArgs(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const name = arg.split('=', 1)[0]!;
    if (VALUE_FLAGS.includes(name)) {
      if (arg.includes('=')) out.push(arg);
      else if (i + 1 < argv.length) out.push(arg, argv[++i]!);
      else out.push(arg);
    } else if (BOOLEAN_FLAGS.includes(arg)) {
      out.push(arg);
    }
  }
  return out;
}

/** Environment variables the Electron host reads. */
const Env = z.object({
  /** Developer mode: DevTools allowed, remote DevTools pages loadable. */
  VITRINE_DEV: z.stringbool().default(false),
  /** A framed window instead of kiosk fullscreen (development only). */
  VITRINE_WINDOWED: z.stringbool().default(false),
});

/** The validated configuration of one run of the Electron host. */
export const ElectronConfig = z.object({
  contentDir: z.string().min(1),
  /**
   * True when the content folder is the exhibit shipped with the app (bundled
   * `assets/exhibit` or the packaged resources copy): it only seeds an empty
   * content store, so an app update never replaces the museum's own content.
   */
  bundledContent: z.boolean(),
  /** The `--inbox DIR` flag; without it `VITRINE_INBOX` or `inbox` in `config.json` decide. */
  inboxDir: z.string().min(1).optional(),
  /** The `--channel URL` flag; it wins over `channel` in `config.json`. */
  channel: z.string().min(1).optional(),
  /** The `--metrics-port N` flag; it wins over `metrics.port` in `config.json`. */
  metricsPort: z.number().int().positive().optional(),
  rendererDir: z.string().min(1),
  settings: z.object({
    // The content schema's own limits, so a flag the renderer would reject never gets this far.
    idleSeconds: Settings.shape.idleSeconds.unwrap().optional(),
    attractSecondsPerSlide: Settings.shape.attractSecondsPerSlide.unwrap().optional(),
    countdownSeconds: Settings.shape.countdownSeconds.unwrap().optional(),
  }),
  dev: z.boolean(),
  windowed: z.boolean(),
});
/** See {@link ElectronConfig}. */
export type ElectronConfig = z.infer<typeof ElectronConfig>;

/** Where the host runs from. */
export interface ConfigInput {
  argv: readonly string[];
  env: Record<string, string | undefined>;
  cwd: string;
  /** `app.isPackaged`: an installed kiosk ignores VITRINE_DEV and VITRINE_WINDOWED (see ./launch-mode.ts). */
  packaged?: boolean;
  /** The packaged app's resources folder (`process.resourcesPath`), which holds the shipped exhibit. */
  packagedResources?: string;
  /** The app's root (holds `dist/renderer`); defaults to the package root. */
  appRoot?: string;
}

/** The configuration, or one line saying what is wrong (for stderr, never a stack trace). */
export type ConfigResult =
  { ok: true; config: ElectronConfig; help: boolean } | { ok: false; message: string };

/**
 * Builds the configuration. Content folder precedence: `--content`, then
 * `VITRINE_CONTENT`, then (packaged) the exhibit shipped in the app's
 * resources, then the bundled `assets/exhibit`.
 */
export function loadConfig(input: ConfigInput): ConfigResult {
  const root = input.appRoot ?? packageRoot();
  const where = { env: input.env, resourcesPath: input.packagedResources, root };
  const args = parseArgs(pickKioskArgs(input.argv), input.env, input.cwd, bundledExhibitDir(where));
  if (!args.ok) return { ok: false, message: args.message };
  // An installed kiosk never opens DevTools or a framed window, whatever its environment says.
  const envResult = Env.safeParse(input.packaged ? {} : input.env);
  if (!envResult.success) {
    const issue = envResult.error.issues[0];
    return {
      ok: false,
      message: `${String(issue?.path[0] ?? 'environment')} must be true or false (1/0, yes/no)`,
    };
  }
  const contentDir = args.options.contentDir;
  const parsed = ElectronConfig.safeParse({
    contentDir,
    bundledContent: isBundledExhibit(contentDir, where),
    inboxDir: args.options.inboxDir,
    channel: args.options.channel,
    metricsPort: args.options.metricsPort,
    rendererDir: builtRendererDir(root),
    settings: {
      idleSeconds: args.options.idleSeconds,
      attractSecondsPerSlide: args.options.attractSeconds,
      countdownSeconds: args.options.countdownSeconds,
    },
    dev: envResult.data.VITRINE_DEV,
    windowed: envResult.data.VITRINE_WINDOWED,
  });
  if (!parsed.success)
    return { ok: false, message: parsed.error.issues[0]?.message ?? 'invalid configuration' };
  return { ok: true, config: parsed.data, help: args.options.help };
}
