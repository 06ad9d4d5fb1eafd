/**
 * `npm run insight -- [--since DATE] [--csv DIR] [--user-data DIR]`: the
 * curator's visit tables on a terminal, read from a kiosk's user-data folder
 * (default this machine's kiosk): the same tables the staff panel exports,
 * and whether the content history's chain is whole.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { loadExhibit } from '../content/load.js';
import { pick } from '../contract/exhibit.js';
import { readState } from '../content/store.js';
import { readContentHistory, verifyContentHistory } from '../insight/content-history.js';
import { insightDir } from '../insight/insight.js';
import { insightTables, toCsv, toText } from '../insight/tables.js';
import { readVisitCounts } from '../insight/visit-counts.js';
import { readKioskConfig, resolveKioskFolders } from '../kiosk/config.js';
import { userDataDir } from '../kiosk/paths.js';

/** The `--help` text. */
export const USAGE = `Usage: npm run insight -- [--since DATE] [--csv DIR] [--user-data DIR]

  --since DATE      only hours from this day on (YYYY-MM-DD, the kiosk's local time); default: all kept (a year)
  --csv DIR         also write one CSV file per table into DIR
  --user-data DIR   the kiosk's user-data folder (default: ${userDataDir()})
  --help            show this text`;

/** The exhibit's chapters (id and title in its default language), from the store's current version. */
async function chaptersOf(userData: string): Promise<{ id: string; title: string }[]> {
  try {
    const config = await readKioskConfig(userData);
    const { store } = resolveKioskFolders({ userData, config, env: process.env });
    const state = await readState(store);
    if (!state.current) return [];
    const loaded = await loadExhibit(path.join(store, 'versions', state.current));
    if (!loaded.ok) return [];
    const lang = loaded.exhibit.settings.defaultLanguage;
    return loaded.exhibit.chapters.map((c) => ({ id: c.id, title: pick(c.title, lang) || c.id }));
  } catch {
    return [];
  }
}

/** Runs the command; returns the exit code. */
export async function main(
  argv: readonly string[],
  print: (line: string) => void = console.log,
): Promise<number> {
  let values: { since?: string; csv?: string; 'user-data'?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        since: { type: 'string' },
        csv: { type: 'string' },
        'user-data': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    print(`${(err as Error).message.split('\n')[0]}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    print(USAGE);
    return 0;
  }
  let since = 0;
  if (values.since !== undefined) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(values.since.trim());
    since = m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).getTime() : NaN;
    if (!Number.isFinite(since)) {
      print(`--since needs a day like 2026-03-01, not "${values.since}"`);
      return 2;
    }
  }
  const userData = path.resolve(values['user-data'] ?? userDataDir());
  const dir = insightDir(userData);
  const hours = await readVisitCounts(dir, since);
  const history = await readContentHistory(dir);
  const tables = insightTables(hours, await chaptersOf(userData), history);
  print(`Visits at the kiosk with user data ${userData}${values.since ? `, from ${values.since}` : ''}`);
  print('Hours with fewer than 3 visits count only as visits.\n');
  for (const t of tables) print(`${toText(t)}\n`);
  const check = await verifyContentHistory(dir);
  print(
    check.ok
      ? `Content history: ${check.entries} entries, chain whole.`
      : `Content history: BROKEN at line ${check.line} of ${check.entries}: ${check.reason}.`,
  );
  if (values.csv) {
    const out = path.resolve(values.csv);
    await mkdir(out, { recursive: true });
    for (const t of tables) await writeFile(path.join(out, `${t.name}.csv`), toCsv(t), 'utf8');
    print(`Wrote ${tables.length} CSV files to ${out}`);
  }
  return check.ok ? 0 : 1;
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(realpathSync(entry)).href) {
  process.exitCode = await main(process.argv.slice(2));
}
