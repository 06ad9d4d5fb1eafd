/**
 * Fault: a page (or any client of the browser host) sends a `Range` header of
 * hundreds of kilobytes shaped to make a backtracking parser take quadratic
 * time, freezing every visitor's screen while one request is parsed. The
 * kiosk must answer it at once, with the status the header deserves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContentSource, type ContentSource } from '../../main/content/source.js';
import { createHandler, type Handler } from '../../main/handler/handler.js';
import { parseRange } from '../../main/handler/send-file.js';
import { BIN, makeFixture, type Fixture } from './handler-fixture.js';

let fx: Fixture;
let source: ContentSource;
let handle: Handler;

beforeAll(async () => {
  fx = await makeFixture({ renderer: false });
  source = await createContentSource(fx.contentDir);
  handle = createHandler({ rendererDir: fx.rendererDir, content: source });
});
afterAll(async () => {
  source.close();
  await fx.cleanup();
});

const get = (range: string) =>
  handle(new Request('http://127.0.0.1/media/data.ogg', { headers: { Range: range } }));

// Whitespace runs where two optional-space groups meet are what made the old pattern backtrack:
// 300 kB of them took it tens of seconds. The scanner takes under a millisecond, so the generous
// per-test timeout below only trips on the quadratic parser; nothing here measures time itself.
const SPACES = ' '.repeat(300_000);
const GENEROUS_MS = 3000;

describe('hostile Range headers are answered at once, with the right status', () => {
  it.each([
    ['spaces after "=" and then junk', `bytes=${SPACES}x`, undefined],
    ['spaces after "-" and then junk', `bytes=0-${SPACES}x`, undefined],
    ['spaces after a suffix "-" and then junk', `bytes=-${SPACES}x`, undefined],
    ['50 000 zeros, a dash and junk', `bytes=${'0'.repeat(50_000)}-${SPACES}x`, undefined],
    ['50 000 zeros and a dash: an open range from 0', `bytes=${'0'.repeat(50_000)}-`, { start: 0, end: 999 }],
    [
      'padding that is still one valid range',
      `bytes=${SPACES}10${SPACES}-${SPACES}19${SPACES}`,
      { start: 10, end: 19 },
    ],
    ['a start too large for any file', `bytes=${'9'.repeat(100_000)}-`, 'unsatisfiable'],
  ] as const)(
    '%s',
    (_, header, want) => {
      expect(parseRange(header, 1000)).toEqual(want);
    },
    GENEROUS_MS,
  );

  it(
    'a 100 kB hostile header through the handler: the whole file, or 416 when unsatisfiable',
    async () => {
      const junk = await get(`bytes=${' '.repeat(100_000)}x`);
      expect(junk.status).toBe(200);
      expect(Buffer.from(await junk.arrayBuffer()).equals(BIN)).toBe(true);
      const far = await get(`bytes=${' '.repeat(50_000)}${'9'.repeat(50_000)}-`);
      expect(far.status).toBe(416);
      expect(far.headers.get('Content-Range')).toBe('bytes */1000');
      const padded = await get(`bytes=${' '.repeat(50_000)}-${' '.repeat(50_000)}10`);
      expect(padded.status).toBe(206);
      expect(padded.headers.get('Content-Range')).toBe('bytes 990-999/1000');
    },
    GENEROUS_MS,
  );
});

describe('the scanner keeps every meaning the header had', () => {
  // The pattern the kiosk used to parse with: fine on short headers, so it is the reference here.
  const reference = (header: string, size: number) => {
    const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
    if (!m) return undefined;
    const [, first = '', last = ''] = m;
    if (first === '' && last === '') return undefined;
    if (first === '') {
      const n = Number(last);
      if (n === 0 || size === 0) return 'unsatisfiable';
      return { start: Math.max(0, size - n), end: size - 1 };
    }
    const start = Number(first);
    if (start >= size) return 'unsatisfiable';
    const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
    if (end < start) return undefined;
    return { start, end };
  };

  it('agrees with the old pattern on every short header built from its tokens', () => {
    const tokens = [
      'bytes',
      'BYTES',
      'Bytes',
      'items',
      '=',
      '-',
      ',',
      ' ',
      '\t',
      '0',
      '5',
      '99',
      '1000',
      'x',
      '',
    ];
    let checked = 0;
    const mismatches: string[] = [];
    for (const a of tokens)
      for (const b of tokens)
        for (const c of tokens)
          for (const d of tokens) {
            for (const header of [`${a}${b}${c}${d}`, `bytes=${a}${b}${c}${d}`, `bytes${a}=${b}-${c}${d}`]) {
              for (const size of [0, 1000]) {
                const got = JSON.stringify(parseRange(header, size));
                const want = JSON.stringify(reference(header, size));
                if (got !== want)
                  mismatches.push(`${JSON.stringify(header)} of ${size}: ${got}, not ${want}`);
                checked++;
              }
            }
          }
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(checked).toBeGreaterThan(200_000);
  });

  it.each([
    ['bytes=0-99', { start: 0, end: 99 }],
    ['bytes=100-', { start: 100, end: 999 }],
    ['bytes=-500', { start: 500, end: 999 }],
    ['bytes=-5000', { start: 0, end: 999 }],
    [' bytes = 1 - 2 ', { start: 1, end: 2 }],
    ['bytes=1000-', 'unsatisfiable'],
    ['bytes=-0', 'unsatisfiable'],
    ['bytes=0-1,5-6', undefined],
    ['bytes=9-2', undefined],
    ['bytes=-', undefined],
    ['bytes=1.5-2', undefined],
  ] as const)('%s', (header, want) => {
    expect(parseRange(header, 1000)).toEqual(want);
  });
});
