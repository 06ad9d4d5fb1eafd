/** The kiosk's event log: JSON lines, rotated, and never the reason the kiosk stops. */
import { describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  LOG_KEEP_FILES,
  LOG_MAX_BYTES,
  createFileLog,
  kioskLogFile,
  openKioskLog,
  type LogFs,
} from '../../main/common/log.js';

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
        if (!files.has(a)) throw new Error('ENOENT');
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

  it('counts a flood of renderer reports instead of rotating the history away', () => {
    const fs = memFs();
    let at = Date.parse('2026-01-01T10:00:00Z');
    const log = createFileLog('/l/main.log', fs, () => new Date(at));
    log('started', { version: '7' });
    // 3000 reports of 8 kB in one minute once rotated away all ten files.
    const big = 'e'.repeat(8_000);
    for (let i = 0; i < 3000; i++) log('renderer-log', { level: 'error', message: `m${i}`, stack: big });
    log('content-installed', { version: '8' });
    at += 60_000;
    log('renderer-log', { level: 'error', message: 'after' });
    expect([...fs.files.keys()]).toEqual(['/l/main.log']);
    const lines = fs.files
      .get('/l/main.log')!
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ event: 'started', version: '7' });
    expect(lines.some((l) => l.event === 'content-installed')).toBe(true);
    const written = lines.filter((l) => l.event === 'renderer-log').length;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(20);
    expect(lines.at(-2)).toMatchObject({
      event: 'log-dropped',
      of: 'renderer-log',
      lines: 3000 - (written - 1),
    });
    expect(lines.at(-1)).toMatchObject({ event: 'renderer-log', message: 'after' });
  });

  it('never throws when the disk refuses', () => {
    const fs = memFs();
    fs.appendFileSync = () => {
      throw new Error('ENOSPC');
    };
    expect(() => createFileLog('/l/main.log', fs)('started')).not.toThrow();
  });

  it('keeps ten files of 1 MB, newest first, and drops only the oldest', () => {
    const fs = memFs();
    let n = 0;
    const log = createFileLog('/l/main.log', fs);
    // Lines of about 2 kB: some five hundred to a file; thirteen files' worth.
    const pad = 'p'.repeat(1_950);
    while (n < 6_600) log('tick', { n: n++, pad });
    const names = [...fs.files.keys()].sort();
    expect(names).toEqual(
      ['/l/main.log', ...Array.from({ length: 9 }, (_, i) => `/l/main.log.${i + 1}`)].sort(),
    );
    expect(LOG_KEEP_FILES).toBe(10);
    for (const [, text] of fs.files) expect(text.length).toBeLessThanOrEqual(LOG_MAX_BYTES);
    const first = (f: string) => JSON.parse(fs.files.get(f)!.split('\n')[0]!).n as number;
    // Newest in main.log, then .1, .2, ...: each older file starts earlier.
    const order = ['/l/main.log', ...Array.from({ length: 9 }, (_, i) => `/l/main.log.${i + 1}`)].map(first);
    expect([...order].sort((a, b) => b - a)).toEqual(order);
    // The last line written is in main.log; the first ones are gone with the oldest file.
    expect(fs.files.get('/l/main.log')).toContain('"n":6599');
    expect([...fs.files.values()].some((t) => t.includes('"n":0,'))).toBe(false);
  });

  it('never throws into the caller, whichever call fails, and says so once per run of failures', () => {
    for (const broken of ['mkdirSync', 'appendFileSync', 'statSync', 'renameSync'] as const) {
      const fs = memFs();
      fs.files.set('/l/main.log', 'x'.repeat(LOG_MAX_BYTES));
      const real = fs[broken];
      let full = true;
      (fs as unknown as Record<string, unknown>)[broken] = (...a: unknown[]) => {
        if (full) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
        return (real as (...x: unknown[]) => unknown)(...a);
      };
      const onError = vi.fn();
      const log = createFileLog('/l/main.log', fs, { onError });
      expect(() => {
        log('crash', { reason: 'oom' });
        log('crash', { reason: 'oom' });
      }).not.toThrow();
      if (broken === 'mkdirSync' || broken === 'appendFileSync') expect(onError).toHaveBeenCalledTimes(1);
      // Space again: logging carries on by itself.
      full = false;
      log('recovered');
      expect(fs.files.get('/l/main.log') ?? '').toContain('"recovered"');
    }
  });

  it('never throws on a detail it cannot serialise, and still logs the event', () => {
    const fs = memFs();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => createFileLog('/l/main.log', fs)('odd', cyclic)).not.toThrow();
    expect(fs.files.get('/l/main.log')).toContain('"event":"odd"');
  });

  it('writes <userData>/logs/main.log on the real disk', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vitrine-log-'));
    try {
      openKioskLog(dir)('started', { host: 'browser' });
      expect(kioskLogFile(dir)).toBe(path.join(dir, 'logs', 'main.log'));
      expect(readdirSync(path.join(dir, 'logs'))).toEqual(['main.log']);
      expect(JSON.parse(readFileSync(kioskLogFile(dir), 'utf8'))).toMatchObject({
        event: 'started',
        host: 'browser',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
