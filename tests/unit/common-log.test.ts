/** The kiosk's event log: JSON lines, rotated, and never the reason the kiosk stops. */
import { describe, expect, it } from 'vitest';
import { LOG_MAX_BYTES, createFileLog, type LogFs } from '../../main/common/log.js';

describe('createFileLog', () => {
  function memFs(): LogFs & { files: Map<string, string> } {
    const files = new Map<string, string>();
    return {
      files,
      mkdirSync: () => undefined,
      appendFileSync: (f, d) => void files.set(f, (files.get(f) ?? '') + d),
      statSync: (f) => {
        const v = files.get(f);
        if (v === undefined) throw new Error('ENOENT');
        return { size: v.length };
      },
      renameSync: (a, b) => {
        files.set(b, files.get(a)!);
        files.delete(a);
      },
    };
  }

  it('writes one JSON line per event with a timestamp', () => {
    const fs = memFs();
    const log = createFileLog('/data/logs/main.log', fs, () => new Date('2026-01-01T00:00:00Z'));
    log('render-process-gone', { reason: 'oom' });
    const line = JSON.parse(fs.files.get('/data/logs/main.log')!.trim());
    expect(line).toEqual({ at: '2026-01-01T00:00:00.000Z', event: 'render-process-gone', reason: 'oom' });
  });

  it('rotates instead of growing without bound', () => {
    const fs = memFs();
    fs.files.set('/l/main.log', 'x'.repeat(LOG_MAX_BYTES));
    createFileLog('/l/main.log', fs)('started');
    expect(fs.files.get('/l/main.log.1')!.length).toBe(LOG_MAX_BYTES);
    expect(fs.files.get('/l/main.log')).toContain('"started"');
  });

  it('never throws when the disk refuses', () => {
    const fs = memFs();
    fs.appendFileSync = () => {
      throw new Error('ENOSPC');
    };
    expect(() => createFileLog('/l/main.log', fs)('started')).not.toThrow();
  });
});
