/**
 * Progress for long steps: a one-line bar redrawn in place on a terminal;
 * elsewhere (a log, CI, a test capturing output) plain lines, when the step
 * asks for them, so a long build never looks stuck.
 */

/** Reports how far a step has come. */
export interface Progress {
  update(done: number, total: number, label?: string): void;
  done(): void;
}

/** A progress reporter that draws nothing. */
export const silentProgress: Progress = { update() {}, done() {} };

/** Options for {@link terminalProgress}. */
export interface ProgressOptions {
  /**
   * When `stream` is not a terminal, write one plain line per item
   * (`title 2/5 media/x.jpg`) instead of nothing.
   */
  linesElsewhere?: boolean;
}

/** A bar on `stream` when it is a terminal; otherwise lines if asked for, else silent. */
export function terminalProgress(
  title: string,
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number } = process.stderr,
  opts: ProgressOptions = {},
): Progress {
  if (!stream.isTTY) return opts.linesElsewhere ? lineProgress(title, stream) : silentProgress;
  let drawn = false;
  return {
    update(done, total, label = '') {
      const width = 24;
      const filled = total > 0 ? Math.round((done / total) * width) : 0;
      const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
      const columns = stream.columns || 80;
      const line = `${title} [${bar}] ${done}/${total} ${label}`.slice(0, columns - 1);
      stream.write(`\r\x1b[2K${line}`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}

/** One line per item started (`title 1/3 label`), for output that is not a terminal. */
function lineProgress(title: string, stream: NodeJS.WritableStream): Progress {
  return {
    update(done, total, label) {
      // The item being started: the closing update (no label) adds nothing a reader needs.
      if (label) stream.write(`${title} ${done + 1}/${total} ${label}\n`);
    },
    done() {},
  };
}
