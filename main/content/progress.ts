/**
 * A one-line progress bar for long steps. Drawn only on a terminal, so logs
 * and CI output stay clean; elsewhere it stays silent.
 */

/** Reports how far a step has come. */
export interface Progress {
  update(done: number, total: number, label?: string): void;
  done(): void;
}

/** A progress reporter that draws nothing. */
export const silentProgress: Progress = { update() {}, done() {} };

/** A bar on `stream` when it is a terminal, otherwise silent. */
export function terminalProgress(title: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return silentProgress;
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
