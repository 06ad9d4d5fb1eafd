/**
 * Which content version was on screen from when to when, and how it arrived:
 * `<userData>/insight/content-history.jsonl`, one JSON line per version put on
 * screen, append-only. Each line holds the SHA-256 of the line before it
 * (`prev`), so an edited or removed line breaks the chain at the line after it,
 * and {@link verifyContentHistory} names the first broken link. A version was
 * on screen from its line's `at` until the next line's.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

/** The history file's name in the insight folder. */
export const HISTORY_FILE = 'content-history.jsonl';
/** The `prev` of the first line. */
const GENESIS = '0'.repeat(64);

/** How a version arrived on screen. */
export type Arrival = 'folder' | 'inbox' | 'channel' | 'rollback';

const Entry = z.object({
  at: z.string(),
  version: z.string(),
  contentVersion: z.string().optional(),
  exhibitId: z.string().optional(),
  how: z.enum(['folder', 'inbox', 'channel', 'rollback']),
  /** Where exactly: the folder, the package, the channel, or what was rolled back from. */
  source: z.string().optional(),
  prev: z.string().regex(/^[0-9a-f]{64}$/),
});
/** One line of the history. */
export type HistoryLine = z.infer<typeof Entry>;
/** What a caller records; `prev` is added here. */
export type HistoryRecord = Omit<HistoryLine, 'prev'>;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The lines of the file, without a final empty one. */
async function readLines(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** The result of {@link verifyContentHistory}. */
export type HistoryCheck =
  { ok: true; entries: number } | { ok: false; entries: number; line: number; reason: string };

/**
 * Walks the chain; reports the first line (1-based) whose `prev` does not match
 * the line before it (an edit of that line or a removal just before it), or
 * which is not a history entry at all.
 */
export async function verifyContentHistory(dir: string): Promise<HistoryCheck> {
  const lines = await readLines(path.join(dir, HISTORY_FILE));
  let prev = GENESIS;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    let entry: HistoryLine;
    try {
      entry = Entry.parse(JSON.parse(line));
    } catch {
      return { ok: false, entries: lines.length, line: i + 1, reason: 'not a history entry' };
    }
    if (entry.prev !== prev) {
      return {
        ok: false,
        entries: lines.length,
        line: i + 1,
        reason:
          i === 0
            ? 'the first line does not start the chain (lines before it were removed)'
            : `does not follow line ${i} (line ${i} was edited, or lines between were removed)`,
      };
    }
    prev = sha256(line);
  }
  return { ok: true, entries: lines.length };
}

/** Every readable entry, oldest first (for the staff export and the command line). */
export async function readContentHistory(dir: string): Promise<HistoryLine[]> {
  const out: HistoryLine[] = [];
  for (const line of await readLines(path.join(dir, HISTORY_FILE))) {
    try {
      out.push(Entry.parse(JSON.parse(line)));
    } catch {
      // A damaged line is reported by verifyContentHistory; the others are still worth showing.
    }
  }
  return out;
}

/** The history, open for appending. */
export interface ContentHistory {
  /** Appends a line unless `record.version` is already the last one on screen. */
  record(record: HistoryRecord): Promise<void>;
  /** The last version recorded. */
  last(): string | undefined;
}

/** Opens the history in `dir` (the insight folder), creating the folder. */
export async function openContentHistory(
  dir: string,
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<ContentHistory> {
  await mkdir(dir, { recursive: true }).catch((err: unknown) =>
    log(`Content history folder ${dir} cannot be made (${String(err)}); the history is not kept`),
  );
  const file = path.join(dir, HISTORY_FILE);
  const lines = await readLines(file).catch((err: unknown) => {
    log(`Content history ${file} cannot be read (${String(err)}); appending to it anyway`);
    return [];
  });
  // Chain on from the last line as it is, even a damaged one: verify then shows where it broke.
  let prev = lines.length ? sha256(lines.at(-1)!) : GENESIS;
  let last: string | undefined;
  try {
    last = lines.length ? (JSON.parse(lines.at(-1)!) as HistoryLine).version : undefined;
  } catch {
    last = undefined;
  }
  let queue: Promise<void> = Promise.resolve();
  return {
    last: () => last,
    record(record) {
      queue = queue.then(async () => {
        if (record.version === last) return;
        const line = JSON.stringify({ ...record, prev } satisfies HistoryLine);
        try {
          const handle = await open(file, 'a');
          try {
            await handle.writeFile(`${line}\n`);
            await handle.sync();
          } finally {
            await handle.close();
          }
          prev = sha256(line);
          last = record.version;
        } catch (err) {
          log(`Content history could not be written to ${file}: ${String(err)}`);
        }
      });
      return queue;
    },
  };
}

/** How a version arrived, from the content store's history entry for it. */
export function arrivalOf(action: string | undefined, source: string | undefined): Arrival {
  if (action === 'rollback' || action === 'auto-rollback') return 'rollback';
  const s = source ?? '';
  if (s.startsWith('inbox')) return 'inbox';
  if (/^(channel|https?:)/.test(s)) return 'channel';
  return 'folder';
}
