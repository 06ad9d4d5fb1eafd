/**
 * The screen's recent failures, kept on disk in the user-data folder
 * (`recovery.json`), so a kiosk that relaunches itself, or is relaunched by
 * systemd or the Windows task, still counts the failures of the runs before
 * and ends a relaunch loop on the resting page instead of looping forever.
 */
import path from 'node:path';
import type { EventLog } from '../common/log.js';
import { writeFileAtomic } from '../common/atomic-write.js';

/** What is kept between runs. */
export interface FailureRecord {
  /** When each recent failure happened (ms since the epoch), oldest first. */
  failures: number[];
  /** Set while the kiosk rests: the pause before its next try. */
  restRetryMs?: number;
}

/** The file's name in the user-data folder. */
export const FAILURE_FILE = 'recovery.json';

/** How many failure times are kept at most: enough for any sane policy, small enough for any file. */
const MAX_KEPT = 100;

/**
 * Reads the record from the file's text. Anything that is not a well-formed
 * record (empty, truncated by a power cut, garbage) reads as no failures, and
 * says why so the caller can log it.
 */
export function parseFailureRecord(text: string): { record: FailureRecord; problem?: string } {
  const none = (problem: string) => ({ record: { failures: [] }, problem });
  if (text.trim() === '') return none('empty');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return none('not JSON');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return none('not an object');
  const { failures, restRetryMs } = raw as Record<string, unknown>;
  if (!Array.isArray(failures) || !failures.every((t) => typeof t === 'number' && Number.isFinite(t)))
    return none('failures is not a list of times');
  const record: FailureRecord = { failures: (failures as number[]).slice(-MAX_KEPT) };
  if (typeof restRetryMs === 'number' && Number.isFinite(restRetryMs) && restRetryMs > 0)
    record.restRetryMs = restRetryMs;
  return { record };
}

/** The file calls the store needs (injected for tests). */
export interface FailureFs {
  readFile(file: string): Promise<string>;
  writeFile(file: string, text: string): Promise<void>;
}

/** Reads and writes {@link FailureRecord}s; neither ever throws. */
export interface FailureStore {
  load(): Promise<FailureRecord>;
  /** Saves in the background; saves are written in order. */
  save(record: FailureRecord): void;
  /** Resolves once every save so far is written (or has failed and been logged). */
  flush(): Promise<void>;
}

/** The store at `<userData>/recovery.json`, written atomically (main/common/atomic-write.ts). */
export function fileFailureStore(userData: string, log: EventLog, fs?: FailureFs): FailureStore {
  const file = path.join(userData, FAILURE_FILE);
  const io: FailureFs = fs ?? {
    readFile: async (f) => (await import('node:fs/promises')).readFile(f, 'utf8'),
    writeFile: (f, text) => writeFileAtomic(f, text),
  };
  let chain: Promise<void> = Promise.resolve();
  return {
    async load() {
      let text: string;
      try {
        text = await io.readFile(file);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT') log('failure-record-unreadable', { file, error: String(error) });
        return { failures: [] };
      }
      const { record, problem } = parseFailureRecord(text);
      if (problem) log('failure-record-invalid', { file, problem, counting: 0 });
      return record;
    },
    save(record) {
      const text = JSON.stringify({ ...record, failures: record.failures.slice(-MAX_KEPT) });
      chain = chain
        .then(() => io.writeFile(file, text))
        .catch((error: unknown) => log('failure-record-unwritable', { file, error: String(error) }));
    },
    flush: () => chain,
  };
}
