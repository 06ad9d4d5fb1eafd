/**
 * The command-line flags shared by `npm run preview`, `npm start` and the
 * Electron kiosk. Pure: it reads only its arguments, so the same parser is
 * tested and reused.
 */
import path from 'node:path';
import { parseArgs as parseNodeArgs } from 'node:util';
import { Settings } from '../content/schema.js';
import { bundledExhibitDir } from './paths.js';

/** The options both commands accept, after validation. */
export interface CliOptions {
  /** TCP port on 127.0.0.1; 0 picks a free one. Undefined means the command's default. */
  port: number | undefined;
  /** Absolute path of the content folder (holding `exhibit.yaml` and `media/`). */
  contentDir: string;
  /** Folder where content packages are dropped; undefined: `VITRINE_INBOX` or `inbox` in config.json decide. */
  inboxDir?: string;
  /** `--channel URL`: the `channel.json` to follow (overrides `channel` in config.json). */
  channel?: string;
  /** `--metrics-port N`: serve Prometheus metrics on 127.0.0.1:N (overrides `metrics.port` in config.json). */
  metricsPort?: number;
  /** Override for `settings.idleSeconds`. */
  idleSeconds: number | undefined;
  /** Override for `settings.attractSecondsPerSlide`. */
  attractSeconds: number | undefined;
  /** Override for `settings.countdownSeconds`. */
  countdownSeconds: number | undefined;
  /** False when `--no-open` was given. */
  open: boolean;
  help: boolean;
}

/** Either the options, or one line saying what is wrong. */
export type ArgsResult = { ok: true; options: CliOptions } | { ok: false; message: string };

/** The usage text printed by `--help`. */
export const USAGE = `Usage: [--port N] [--content DIR] [--inbox DIR] [--idle-seconds S] [--attract-seconds S]
       [--countdown-seconds S] [--channel URL] [--metrics-port N] [--no-open] [--help]

  --port N               port on 127.0.0.1 (0 = any free port)
  --content DIR          content folder with exhibit.yaml and media/
                         (default: $VITRINE_CONTENT, else the bundled exhibit)
  --inbox DIR            folder where content packages are dropped (USB stick, share)
  --idle-seconds S       seconds without a touch before "Still there?" (5-3600)
  --attract-seconds S    seconds each attract-loop slide stays up (2-120)
  --countdown-seconds S  length of the "Still there?" countdown (3-120)
  --channel URL          follow the channel.json at URL for new content (see docs/fleet.md)
  --metrics-port N       serve Prometheus metrics on 127.0.0.1:N
  --no-open              serve only; do not open a browser window
  --help                 show this text`;

interface NumberRule {
  flag: string;
  min: number;
  max: number;
  integer: boolean;
}

function parseNumber(raw: string | undefined, rule: NumberRule): number | string | undefined {
  if (raw === undefined) return undefined;
  const kind = rule.integer ? 'a whole number' : 'a number';
  const trimmed = raw.trim();
  const value = trimmed === '' ? NaN : Number(trimmed);
  if (!Number.isFinite(value) || (rule.integer && !Number.isInteger(value))) {
    return `--${rule.flag} must be ${kind} from ${rule.min} to ${rule.max}, not "${raw}"`;
  }
  if (value < rule.min || value > rule.max) {
    return `--${rule.flag} must be ${kind} from ${rule.min} to ${rule.max}, not ${raw}`;
  }
  return value;
}

const EXAMPLE_VALUE: Record<string, string> = {
  '--port': '4173',
  '--content': './my-exhibit',
  '--channel': 'https://content.example.org/vitrine/all/channel.json',
  '--metrics-port': '9464',
};

/** The limits of a timing flag, read from the content schema so the two never disagree. */
function settingRule(
  flag: string,
  key: 'idleSeconds' | 'attractSecondsPerSlide' | 'countdownSeconds',
): NumberRule {
  const n = Settings.shape[key].unwrap();
  return { flag, min: n.minValue ?? 0, max: n.maxValue ?? Number.MAX_SAFE_INTEGER, integer: n.isInt };
}

/** Rewrites node:util's long parse errors as one short line. */
function explain(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const message = e.message ?? String(err);
  const quoted = /'([^' ]+)/.exec(message)?.[1] ?? '';
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${quoted} (see --help)`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /does not take/.test(message)
        ? `${quoted} does not take a value (see --help)`
        : `${quoted} needs a value, e.g. ${quoted} ${EXAMPLE_VALUE[quoted] ?? '30'}`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument "${quoted}" (options start with --; see --help)`;
    default:
      return message.split('\n')[0] ?? message;
  }
}

/**
 * Parses `[--port N] [--content DIR] [--idle-seconds S] [--attract-seconds S]
 * [--countdown-seconds S] [--no-open] [--help]`. Never throws.
 *
 * @param argv the arguments after the script name
 * @param env where `VITRINE_CONTENT` is read from
 * @param cwd what a relative `--content` is resolved against
 * @param bundled the content folder when neither `--content` nor `VITRINE_CONTENT` names one
 */
export function parseArgs(
  argv: readonly string[],
  env: Record<string, string | undefined> = process.env,
  cwd: string = process.cwd(),
  bundled: string = bundledExhibitDir({ env }),
): ArgsResult {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseNodeArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        content: { type: 'string' },
        inbox: { type: 'string' },
        'idle-seconds': { type: 'string' },
        'attract-seconds': { type: 'string' },
        'countdown-seconds': { type: 'string' },
        channel: { type: 'string' },
        'metrics-port': { type: 'string' },
        'no-open': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    return { ok: false, message: explain(err) };
  }
  const str = (k: string) => values[k] as string | undefined;

  const numbers = {
    port: parseNumber(str('port'), { flag: 'port', min: 0, max: 65535, integer: true }),
    metricsPort: parseNumber(str('metrics-port'), {
      flag: 'metrics-port',
      min: 1,
      max: 65535,
      integer: true,
    }),
    idleSeconds: parseNumber(str('idle-seconds'), settingRule('idle-seconds', 'idleSeconds')),
    attractSeconds: parseNumber(
      str('attract-seconds'),
      settingRule('attract-seconds', 'attractSecondsPerSlide'),
    ),
    countdownSeconds: parseNumber(
      str('countdown-seconds'),
      settingRule('countdown-seconds', 'countdownSeconds'),
    ),
  };
  for (const v of Object.values(numbers)) {
    if (typeof v === 'string') return { ok: false, message: v };
  }

  const content = str('content');
  if (content !== undefined && content.trim() === '') {
    return { ok: false, message: '--content needs a folder, e.g. --content ./my-exhibit' };
  }
  const channel = str('channel')?.trim();
  if (channel !== undefined && !/^https?:\/\/[^\s/]+/i.test(channel)) {
    return {
      ok: false,
      message: `--channel needs the http:// or https:// address of a channel.json, not "${str('channel')}"`,
    };
  }
  const fromEnv = env.VITRINE_CONTENT?.trim() ? env.VITRINE_CONTENT : undefined;
  const contentDir = path.resolve(cwd, content ?? fromEnv ?? bundled);

  return {
    ok: true,
    options: {
      port: numbers.port as number | undefined,
      contentDir,
      ...(str('inbox')?.trim() ? { inboxDir: path.resolve(cwd, str('inbox')!) } : {}),
      ...(channel ? { channel } : {}),
      ...(numbers.metricsPort !== undefined ? { metricsPort: numbers.metricsPort as number } : {}),
      idleSeconds: numbers.idleSeconds as number | undefined,
      attractSeconds: numbers.attractSeconds as number | undefined,
      countdownSeconds: numbers.countdownSeconds as number | undefined,
      open: values['no-open'] !== true,
      help: values.help === true,
    },
  };
}
