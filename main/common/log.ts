/**
 * The kiosk's event log: one JSON object per line in a file under the
 * user-data folder, rotated at a size limit, where staff can read it. Shared
 * by every host, so it lives below them all.
 */
import path from 'node:path';

/** One structured log line. */
export type EventLog = (event: string, detail?: Record<string, unknown>) => void;

/** The file-system calls the log needs (node:fs, injected for tests). */
export interface LogFs {
  mkdirSync(dir: string, opts: { recursive: true }): unknown;
  appendFileSync(file: string, data: string): void;
  statSync(file: string): { size: number };
  renameSync(from: string, to: string): void;
}

/** Largest log before it is rotated to `<name>.1` (one old file kept). */
export const LOG_MAX_BYTES = 1_000_000;

/**
 * A JSON-lines log at `file`, rotated at {@link LOG_MAX_BYTES}. Never throws:
 * a full disk must not take the kiosk down with it.
 */
export function createFileLog(file: string, fs: LogFs, now: () => Date = () => new Date()): EventLog {
  let dirReady = false;
  return (event, detail = {}) => {
    const line = JSON.stringify({ at: now().toISOString(), event, ...detail }) + '\n';
    try {
      if (!dirReady) {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        dirReady = true;
      }
      try {
        if (fs.statSync(file).size + line.length > LOG_MAX_BYTES) fs.renameSync(file, `${file}.1`);
      } catch {
        // No file yet: nothing to rotate.
      }
      fs.appendFileSync(file, line);
    } catch {
      // Logging is best effort.
    }
  };
}
