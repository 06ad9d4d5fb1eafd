/**
 * The content tool for museum staff: command parsing and dispatch. Run by
 * `npm run content -- <command>` (main/cli/content.ts) and by the installed
 * app's `--content-cli` mode (main/electron/main.ts); it lives in the
 * composition root because it composes content, fleet and the kiosk's
 * config.json for both. Every expected failure is one line without a stack
 * trace; see `--help` for exit codes.
 */
import { parseArgs } from 'node:util';
import { readFile } from 'node:fs/promises';
import { buildContent } from '../content/build.js';
import { ContentError, EXIT } from '../content/errors.js';
import { createInbox, GIVE_UP_MS, type InboxEvent } from '../content/inbox.js';
import { initContent } from '../content/init.js';
import {
  configuredPublicKeys,
  printConfigProblems,
  readKioskConfig,
  resolveStoreDir,
  type KioskConfig,
} from './config.js';
import { kioskVersion } from './fleet-services.js';
import { DEFAULT_CHANNEL, publishChannel } from '../fleet/publish.js';
import { bundledExhibitDir, userDataDir } from './paths.js';
import { formatProblem, type Problem } from '../content/load.js';
import { packContent } from '../content/pack.js';
import { parsePrivateKey, parsePublicKey, verifyPackage, writeKeyPair } from '../content/signing.js';
import { terminalProgress } from '../content/progress.js';
import { SCHEMA_FILE, writeJsonSchema } from '../content/schema-json.js';
import { applyContent, RejectedContent, rollbackContent, storeStatus } from '../content/store.js';
import { validateContent, CAPTION_BUDGET, IMAGE_LIMIT_WORDS } from '../content/validate.js';

/** The `--help` text. */
export const HELP = `Vitrine content tool

Usage: npm run content -- <command> [arguments] [options]

Commands
  init DIR              Start a content folder from the bundled exhibit (DIR must be new or empty).
                        Adds ${SCHEMA_FILE} and VS Code settings so your editor completes fields
                        and underlines mistakes.
  validate DIR          Check a content folder. Prints one line per problem:
                          file:line:column  field  what is wrong  how to fix
                        Errors block publishing; warnings are listed but do not.
  build DIR             Make screen-sized WebP copies of every photo (1920 and 3840 px on the long
                        edge, never enlarged) in media/_screen/; the kiosk shows these. Remade
                        whenever a photo's content changes. Writes only in media/_screen/: your
                        originals and exhibit.yaml are never changed.
  pack DIR OUT          Check DIR and write a content package (a .zip with a manifest of SHA-256
                        hashes and the content version) to OUT (a file, or a folder to put it in).
                        With --key FILE, signs it with that private key (see keygen).
  publish DIR --to OUT --key FILE [--channel NAME]
                        Build, check, pack and sign DIR, and put it on a channel for kiosks that
                        follow it: OUT/NAME/ gets the package and channel.json (written last, so a
                        web server never serves half of it). Serve OUT with any web server (see
                        docs/fleet.md). NAME defaults to "${DEFAULT_CHANNEL}"; try a version on a "pilot"
                        channel first.
  keygen [--out DIR]    Make a key pair for signing packages: vitrine-content.key (private: keep it
                        on the packing PC only) and vitrine-content.pub (for kiosks). Never replaces
                        an existing key unless --force.
  verify PKG --public-key FILE
                        Check that a package is signed by that key and that every file matches.
  apply PKG|DIR         Install a package (or a content folder) into the kiosk's content store and
                        make it current. The previous version is kept for rollback. When
                        config.json lists publicKeys, a package must be signed by one of them.
  rollback              Make the previous version current again.
  status                Show the current and previous versions, and where and when they came from.
  inbox DIR             Install packages dropped into DIR (a USB stick or share). Waits for a package
                        that is still being copied, and stops at one whose copy stopped before its
                        end; a bad one goes to DIR/rejected/ with a .txt saying why; a good one
                        goes to DIR/applied/. Nothing is deleted.
  schema [FILE]         Write the exhibit JSON Schema (default: ./${SCHEMA_FILE}).

Options
  --store DIR           The content store. If not given: the VITRINE_CONTENT_STORE environment
                        variable, else "contentStore" in config.json in the app's user-data folder
                        (Linux ~/.config/Vitrine, Windows %APPDATA%\\Vitrine, macOS
                        ~/Library/Application Support/Vitrine), else content-store/ in that folder.
  --to OUT              publish: the web server's folder.
  --channel NAME        publish: the channel (default ${DEFAULT_CHANNEL}).
  --min-kiosk-version V publish: the oldest kiosk software that may install it (default: this one's).
  --key FILE            pack, publish: sign the package with this private key.
  --public-key FILE     verify: the public key to check against.
  --out DIR             keygen: where to write the key pair (default: the current folder).
  --force               keygen: replace an existing key pair. apply: install a package of another
                        exhibit (a different exhibit id).
  --allow-older         apply: install a version older than the current one.
  --watch               inbox: keep watching instead of stopping when the inbox is quiet.
  --stable-seconds N    inbox: how long a package must stay unchanged before it is taken (default 5).
  -h, --help            Show this help.

Checks (validate, pack, apply)
  Images: a credit and alternative text; every picture must decode whole (not cut short);
  screen copies must match the scan they were made from. The size limit:
  ${IMAGE_LIMIT_WORDS}.
  Captions: at most ${Math.min(CAPTION_BUDGET.landscape, CAPTION_BUDGET.portrait)} characters. Languages: real language codes; a text missing in one is shown
  in the first language (warning). Every referenced file must exist inside the folder (no "..",
  absolute paths or links out) and really be what its extension says (.jpg .png .webp .svg .ogg
  .mp3 .vtt). Narration needs captions. HTML in text is shown as text (warning).

Exit codes
  0  done (warnings may have been listed)
  1  the content or package has problems; nothing was changed
  2  the command could not run (wrong arguments, a folder that cannot be used, an unexpected fault)
`;

type Out = { log: (line: string) => void; err: (line: string) => void };

function printProblems(problems: Problem[], out: Out): { errors: number; warnings: number } {
  const errors = problems.filter((p) => p.severity === 'error');
  const warnings = problems.filter((p) => p.severity === 'warning');
  for (const p of errors) out.log(formatProblem(p));
  if (warnings.length > 0) {
    out.log(errors.length > 0 ? '\nWarnings (these do not block):' : 'Warnings (these do not block):');
    for (const p of warnings) out.log(formatProblem(p));
  }
  return { errors: errors.length, warnings: warnings.length };
}

/**
 * This kiosk's `config.json`, read on first need and once per run (what is
 * wrong with it printed once). Its `publicKeys` are used as the kiosk uses
 * them: with keys listed, `apply` and `inbox` install only packages signed
 * by one of them, so a package refused at the inbox is not let in by hand.
 */
function kioskSettings(out: Out) {
  let config: Promise<KioskConfig> | undefined;
  const read = () =>
    (config ??= readKioskConfig(
      userDataDir(),
      printConfigProblems((line) => process.stderr.write(`${line}\n`)),
    ));
  return {
    store: async (flag: string | undefined) => resolveStoreDir(await read(), flag),
    keys: async () => configuredPublicKeys(await read(), (message) => out.err(`content: ${message}`)),
  };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Runs one command line and returns the exit code. Exported so tests run the
 * CLI in-process.
 */
export async function runContentCli(
  argv: string[],
  out: Out = { log: console.log, err: console.error },
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        store: { type: 'string' },
        watch: { type: 'boolean' },
        'stable-seconds': { type: 'string' },
        key: { type: 'string' },
        to: { type: 'string' },
        channel: { type: 'string' },
        'min-kiosk-version': { type: 'string' },
        'public-key': { type: 'string' },
        out: { type: 'string' },
        force: { type: 'boolean' },
        'allow-older': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    out.err(`content: ${(err as Error).message.split('\n')[0]} (see --help)`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  const [command, ...args] = positionals;
  if (values.help || !command || command === 'help') {
    out.log(HELP);
    return command || values.help ? EXIT.ok : EXIT.usage;
  }
  const settings = kioskSettings(out);
  const need = (n: number, usage: string) => {
    if (args.length !== n) throw new ContentError(`usage: npm run content -- ${usage}`, EXIT.usage);
  };
  try {
    switch (command) {
      case 'init': {
        need(1, 'init DIR');
        const dir = await initContent(args[0]!, { from: bundledExhibitDir() });
        out.log(
          `Created ${dir}. Open it in your editor, then check it with: npm run content -- validate ${args[0]}`,
        );
        return EXIT.ok;
      }
      case 'validate': {
        need(1, 'validate DIR');
        const progress = terminalProgress('Checking media');
        const report = await validateContent(args[0]!, { onProgress: (d, t, s) => progress.update(d, t, s) });
        progress.done();
        const { errors, warnings } = printProblems(report.problems, out);
        out.log(
          report.ok
            ? `\nOK: ready to publish${warnings ? ` (${plural(warnings, 'warning')})` : ''}.`
            : `\n${plural(errors, 'error')}, ${plural(warnings, 'warning')}: fix the errors before publishing.`,
        );
        return report.ok ? EXIT.ok : EXIT.invalid;
      }
      case 'build': {
        need(1, 'build DIR');
        const result = await buildContent(
          args[0]!,
          terminalProgress('Making screen copies', process.stderr, { linesElsewhere: true }),
        );
        for (const m of result.made) out.log(`${m.src}: made ${m.copies.join(', ')}`);
        for (const src of result.upToDate) out.log(`${src}: screen copies already match it`);
        const made = Object.values(result.variants).reduce((n, v) => n + v.length, 0);
        for (const f of result.removed) out.log(`${f}: removed, its picture is no longer in exhibit.yaml`);
        out.log(
          made === 0 && result.skipped.length > 0
            ? `No screen copies made: ${result.skipped.length === 1 ? 'one picture was' : `${result.skipped.length} pictures were`} skipped (below).`
            : made === 0
              ? 'No photo is larger than a screen: nothing to resize (SVG drawings never need it).'
              : `${made} screen ${made === 1 ? 'copy' : 'copies'} up to date (${result.written} written) in media/_screen/. Nothing else was changed.`,
        );
        for (const s of result.skipped) out.err(`skipped ${s.src}: ${s.reason}`);
        return result.skipped.length > 0 ? EXIT.invalid : EXIT.ok;
      }
      case 'pack': {
        need(2, 'pack DIR OUT');
        const signWith = values.key ? parsePrivateKey(await readFile(values.key), values.key) : undefined;
        try {
          const result = await packContent(args[0]!, args[1]!, terminalProgress('Packing'), undefined, {
            signWith,
          });
          printProblems(result.report.problems, out);
          out.log(
            `Packed version ${result.version} (${Object.keys(result.manifest.files).length} files) to ${result.file}${result.signedBy ? `, signed with ${result.signedBy}` : ''}`,
          );
          return EXIT.ok;
        } catch (err) {
          const report = (err as { report?: { problems: Problem[] } }).report;
          if (report) printProblems(report.problems, out);
          throw err;
        }
      }
      case 'publish': {
        const usage = 'publish DIR --to OUT --key FILE [--channel NAME]';
        need(1, usage);
        if (!values.to || !values.key)
          throw new ContentError(`usage: npm run content -- ${usage}`, EXIT.usage);
        const key = parsePrivateKey(await readFile(values.key), values.key);
        try {
          const result = await publishChannel({
            dir: args[0]!,
            out: values.to,
            channel: values.channel,
            key,
            minKioskVersion: values['min-kiosk-version'] ?? kioskVersion(),
            progress: terminalProgress('Publishing'),
          });
          printProblems(result.pack.report.problems, out);
          const c = result.channel;
          out.log(
            `Published ${c.exhibitId} ${c.contentVersion} (${result.pack.version}) on the channel "${c.channel}": ${result.channelFile}`,
          );
          return EXIT.ok;
        } catch (err) {
          const report = (err as { report?: { problems: Problem[] } }).report;
          if (report) printProblems(report.problems, out);
          throw err;
        }
      }
      case 'keygen': {
        need(0, 'keygen [--out DIR] [--force]');
        const k = await writeKeyPair(values.out ?? '.', { force: values.force });
        out.log(`Made key ${k.keyId}:`);
        out.log(`  ${k.privateKeyFile}  private: sign with it (pack --key); keep it on this PC only`);
        out.log(`  ${k.publicKeyFile}  public: give it to the kiosks`);
        return EXIT.ok;
      }
      case 'verify': {
        need(1, 'verify PKG --public-key FILE');
        if (!values['public-key'])
          throw new ContentError('usage: npm run content -- verify PKG --public-key FILE', EXIT.usage);
        const key = parsePublicKey(await readFile(values['public-key'], 'utf8'), values['public-key']);
        const check = await verifyPackage(args[0]!, [key]);
        if (check.status === 'ok') {
          out.log(`${args[0]}: signed by ${check.keyId}, and every file matches.`);
          return EXIT.ok;
        }
        out.err(`content: ${args[0]}: ${check.status}: ${check.reason}`);
        return EXIT.invalid;
      }
      case 'apply': {
        need(1, 'apply PKG|DIR [--store STORE] [--allow-older] [--force]');
        const store = await settings.store(values.store);
        const keys = await settings.keys();
        try {
          const result = await applyContent(args[0]!, store, {
            progress: terminalProgress('Installing'),
            allowOlder: values['allow-older'],
            force: values.force,
            ...keys,
          });
          // Installing is the news: a long list of warnings would bury it, so only the first few are shown.
          const shown = 10;
          printProblems(result.warnings.slice(0, shown), out);
          const more = result.warnings.length - shown;
          if (more > 0) {
            out.log(
              `… and ${more} more ${more === 1 ? 'warning' : 'warnings'} (none blocks): run npm run content -- validate on the content folder to see them all`,
            );
          }
          out.log(
            !result.changed
              ? `Version ${result.version} is already current in ${store}.`
              : `Version ${result.version} is now current in ${store}${result.previous ? ` (previous: ${result.previous}, kept for rollback)` : ''}.`,
          );
          return EXIT.ok;
        } catch (err) {
          if (err instanceof RejectedContent) printProblems(err.problems, out);
          throw err;
        }
      }
      case 'rollback': {
        need(0, 'rollback [--store STORE]');
        const store = await settings.store(values.store);
        const r = await rollbackContent(store);
        out.log(`Version ${r.version} is current again (was ${r.from}).`);
        return EXIT.ok;
      }
      case 'status': {
        need(0, 'status [--store STORE]');
        const s = await storeStatus(await settings.store(values.store));
        out.log(`Store:    ${s.store}`);
        out.log(`Current:  ${s.current ?? '(none: the kiosk shows its bundled exhibit)'}`);
        out.log(`Previous: ${s.previous ?? '(none)'}`);
        if (s.history.length > 0) {
          out.log('Recent:');
          for (const h of s.history) {
            out.log(
              `  ${h.at}  ${h.action.padEnd(13)} ${h.version}  from ${h.source}${h.note ? ` (${h.note})` : ''}`,
            );
          }
        }
        return EXIT.ok;
      }
      case 'inbox': {
        need(1, 'inbox DIR [--store STORE] [--watch] [--stable-seconds N]');
        const store = await settings.store(values.store);
        const stableSeconds = Number(values['stable-seconds'] ?? 5);
        if (!Number.isFinite(stableSeconds) || stableSeconds < 0) {
          throw new ContentError('--stable-seconds takes a number of seconds', EXIT.usage);
        }
        const inbox = createInbox(args[0]!, store, {
          stableMs: stableSeconds * 1000,
          ...(await settings.keys()),
        });
        let rejected = 0;
        const told = new Map<string, string>();
        for (;;) {
          const events = await inbox.scan();
          for (const e of events) {
            if (e.kind === 'applied')
              out.log(
                `${e.name}: installed as ${e.result.version}${e.movedTo ? `, moved to ${e.movedTo}` : ''}`,
              );
            else if (e.kind === 'rejected') {
              rejected++;
              out.log(
                `${e.name}: ${e.reason}${e.movedTo ? ` (moved to ${e.movedTo}, reason in ${e.movedTo}.txt)` : ''}`,
              );
            } else if (e.kind === 'kept' || e.kind === 'skipped') out.log(`${e.name}: ${e.reason}`);
          }
          const waiting = events.filter(
            (e): e is Extract<InboxEvent, { kind: 'waiting' }> => e.kind === 'waiting',
          );
          if (!values.watch && waiting.length === 0) break;
          // A copy that has stopped before its end may never finish: say so once and stop, rather than
          // wait out the kiosk's ten minutes. The file stays in the inbox for the kiosk to judge.
          if (!values.watch && waiting.every((w) => w.stalled)) {
            for (const w of waiting) {
              out.log(
                `${w.name}: not installed: its copy stopped before the end (nothing has changed for ${stableSeconds} s, but the end of the package is missing). Copy it again; left as it is, a kiosk waits ${GIVE_UP_MS / 60_000} minutes for the rest, then refuses it as cut short.`,
              );
            }
            rejected += waiting.length;
            break;
          }
          // Each wait is said once, not every two seconds.
          for (const w of waiting) {
            if (values.watch || told.get(w.name) === w.reason) continue;
            told.set(w.name, w.reason);
            out.log(w.reason);
          }
          await new Promise((r) => setTimeout(r, Math.max(500, Math.min(stableSeconds * 1000, 2000))));
        }
        return rejected > 0 ? EXIT.invalid : EXIT.ok;
      }
      case 'schema': {
        if (args.length > 1) throw new ContentError('usage: npm run content -- schema [FILE]', EXIT.usage);
        const file = args[0] ?? SCHEMA_FILE;
        await writeJsonSchema(file);
        out.log(`Wrote ${file}`);
        return EXIT.ok;
      }
      default:
        out.err(`content: unknown command "${command}" (see --help)`);
        return EXIT.usage;
    }
  } catch (err) {
    if (err instanceof ContentError) {
      out.err(`content: ${err.message}`);
      return err.exitCode;
    }
    const e = err as NodeJS.ErrnoException;
    if (e?.code && e.path) {
      out.err(`content: cannot use ${e.path} (${e.code})`);
      return EXIT.usage;
    }
    out.err(
      `content: unexpected fault: ${e?.message ?? String(err)} (set VITRINE_DEBUG=1 for details, and please report it)`,
    );
    if (process.env.VITRINE_DEBUG) out.err(e?.stack ?? '');
    return EXIT.usage;
  }
}
