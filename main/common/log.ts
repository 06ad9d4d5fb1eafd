/**
 * The kiosk's event log: one JSON object per line in `<userData>/logs/main.log`,
 * where a technician reads it. Every host writes here (the Electron kiosk,
 * `npm start`'s browser host and its supervisor, the preview), so it lives
 * below them all.
 *
 * What goes in: starts and stops, crashes and recoveries, content changes,
 * refusals, configuration problems. What never goes in: what a visitor did,
 * beyond counts.
 *
 * Rotated at {@link LOG_MAX_BYTES}, keeping {@link LOG_KEEP_FILES} files
 * (`main.log`, `main.log.1` newest ... `main.log.9` oldest): about 10 MB, a
 * month or more of a busy kiosk's events. Never throws: a full disk must not
 * take the kiosk down with it.
 */
import fs from 'node:fs';
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

/** Largest log file before it is rotated. */
export const LOG_MAX_BYTES = 1_000_000;
/** How many files are kept: the live one and the rotated ones. */
export const LOG_KEEP_FILES = 10;
/** Longest text kept from one value (a renderer's error message, a path), so no line is ever huge. */
const MAX_VALUE_CHARS = 2_000;

/** Options of {@link createFileLog}. */
export interface FileLogOptions {
  now?: () => Date;
  /** Hears the first failure to write after a good write (e.g. to say so once on stderr); never more often. */
  onError?: (error: unknown) => void;
  maxBytes?: number;
  keepFiles?: number;
  /**
   * Bytes a minute an event may write before its further lines are only
   * counted (then one `log-dropped` line says how many), so one flooding
   * source cannot rotate the rest of the history away. Default
   * {@link DEFAULT_EVENT_BUDGETS}; events not named have no budget.
   */
  budgets?: Record<string, number>;
}

/**
 * Per-minute byte budgets by event: renderer reports can be sent by the page
 * (or, in the browser host, by any local process) as often as it likes.
 */
const DEFAULT_EVENT_BUDGETS: Readonly<Record<string, number>> = { 'renderer-log': 16_000 };

/** The kiosk's log file in a user-data folder. */
export function kioskLogFile(userData: string): string {
  return path.join(userData, 'logs', 'main.log');
}

function shorten(detail: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(detail))
    out[k] = typeof v === 'string' && v.length > MAX_VALUE_CHARS ? `${v.slice(0, MAX_VALUE_CHARS)}…` : v;
  return out;
}

function serialise(at: Date, event: string, detail: Record<string, unknown>): string {
  try {
    return JSON.stringify({ at: at.toISOString(), event, ...shorten(detail) }) + '\n';
  } catch (error) {
    // A detail that cannot be serialised (a cycle, a BigInt) still leaves a line saying what happened.
    return JSON.stringify({ at: at.toISOString(), event, unloggable: String(error) }) + '\n';
  }
}

/** Moves `file.(n-2)` to `file.(n-1)`, ..., `file` to `file.1`; the oldest is overwritten. Missing ones are skipped. */
function rotate(file: string, fs: LogFs, keep: number): void {
  for (let i = keep - 1; i >= 1; i--) {
    const from = i === 1 ? file : `${file}.${i - 1}`;
    try {
      fs.renameSync(from, `${file}.${i}`);
    } catch {
      // Not there yet (a young log), or not movable: the next write tries again.
    }
  }
}

/**
 * A JSON-lines log at `file`, rotated at {@link LOG_MAX_BYTES} keeping
 * {@link LOG_KEEP_FILES} files. Never throws.
 */
export function createFileLog(
  file: string,
  fs: LogFs,
  nowOrOptions: (() => Date) | FileLogOptions = {},
): EventLog {
  const opts = typeof nowOrOptions === 'function' ? { now: nowOrOptions } : nowOrOptions;
  const now = opts.now ?? (() => new Date());
  const maxBytes = opts.maxBytes ?? LOG_MAX_BYTES;
  const keep = Math.max(2, opts.keepFiles ?? LOG_KEEP_FILES);
  let dirReady = false;
  let failing = false;
  const budgets = opts.budgets ?? DEFAULT_EVENT_BUDGETS;
  const spent = new Map<string, { minute: number; bytes: number; dropped: number }>();
  /** The lines to write for `event` now: none when over its budget, else a `log-dropped` note first if it was. */
  const admit = (at: Date, event: string, line: string): string | undefined => {
    const budget = budgets[event];
    if (budget === undefined) return line;
    const minute = Math.floor(at.getTime() / 60_000);
    let use = spent.get(event);
    let note = '';
    if (!use || use.minute !== minute) {
      if (use?.dropped) note = serialise(at, 'log-dropped', { of: event, lines: use.dropped });
      use = { minute, bytes: 0, dropped: 0 };
      spent.set(event, use);
    }
    if (use.bytes + line.length > budget) {
      use.dropped++;
      return note || undefined;
    }
    use.bytes += line.length;
    return note + line;
  };
  return (event, detail = {}) => {
    try {
      const at = now();
      const line = admit(at, event, serialise(at, event, detail));
      if (line === undefined) return;
      if (!dirReady) {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        dirReady = true;
      }
      let size = 0;
      try {
        size = fs.statSync(file).size;
      } catch {
        // No file yet: nothing to rotate.
      }
      if (size > 0 && size + Buffer.byteLength(line) > maxBytes) rotate(file, fs, keep);
      fs.appendFileSync(file, line);
      failing = false;
    } catch (error) {
      // Logging is best effort; say so once per run of failures, not on every line.
      if (!failing) {
        failing = true;
        try {
          opts.onError?.(error);
        } catch {
          // Not even that: stay quiet.
        }
      }
    }
  };
}

/** The kiosk's log in `userData` on the real file system (see {@link createFileLog}). */
export function openKioskLog(userData: string, opts: FileLogOptions = {}): EventLog {
  return createFileLog(kioskLogFile(userData), fs, opts);
}

/** A line printer that also puts each line in the event log as `{ event, line }` (for hosts that speak in lines). */
export function teeToEventLog(
  print: (line: string) => void,
  events: EventLog,
  event: string,
): (line: string) => void {
  return (line) => {
    print(line);
    events(event, { line });
  };
}
