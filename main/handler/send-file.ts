/**
 * Sends one file as a web Response: conditional requests (ETag), single byte
 * ranges, HEAD, and a streamed body so large media never sits in memory.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { mimeType } from './mime.js';
import type { SafeFile } from './safe-path.js';

/** A byte range, both ends inclusive. */
export interface ByteRange {
  start: number;
  end: number;
}

/** True for the characters a regular expression's `\s` matches, tested one at a time. */
const isSpace = (ch: string) => /^\s$/.test(ch);

/**
 * Splits `bytes = FIRST - LAST` (whitespace allowed around each token, the unit
 * in any case) into its two digit strings, or undefined when the header is
 * anything else. A single left-to-right pass: a header of any length costs
 * time in proportion to its length, where a backtracking pattern was quadratic.
 */
function scanRange(header: string): [first: string, last: string] | undefined {
  let i = 0;
  const n = header.length;
  const skipSpace = () => {
    while (i < n && isSpace(header[i]!)) i++;
  };
  const digits = () => {
    const from = i;
    while (i < n && header.charCodeAt(i) >= 48 && header.charCodeAt(i) <= 57) i++;
    return header.slice(from, i);
  };
  skipSpace();
  if (header.slice(i, i + 5).toLowerCase() !== 'bytes') return undefined;
  i += 5;
  skipSpace();
  if (header[i] !== '=') return undefined;
  i++;
  skipSpace();
  const first = digits();
  skipSpace();
  if (header[i] !== '-') return undefined;
  i++;
  skipSpace();
  const last = digits();
  skipSpace();
  return i === n ? [first, last] : undefined;
}

/**
 * Parses a `Range` header against a file size.
 * Returns the range, `'unsatisfiable'`, or undefined to send the whole file
 * (no header, a malformed one, another unit, or several ranges).
 */
export function parseRange(header: string | null, size: number): ByteRange | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const m = scanRange(header);
  if (!m) return undefined;
  const [first, last] = m;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    // Suffix range: the last N bytes.
    const n = Number(last);
    if (n === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(first);
  if (start >= size) return 'unsatisfiable';
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (end < start) return undefined;
  return { start, end };
}

/** A validator that changes whenever the file's size or modification time does. */
function etagFor(file: SafeFile): string {
  return `"${file.size.toString(16)}-${Math.floor(file.mtimeMs).toString(16)}"`;
}

function matchesEtag(header: string | null, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

function stream(path: string, range?: ByteRange): ReadableStream<Uint8Array> {
  const nodeStream = createReadStream(path, range ? { start: range.start, end: range.end } : {});
  return Readable.toWeb(nodeStream) as unknown as ReadableStream<Uint8Array>;
}

/** Options for {@link sendFile}. */
export interface SendFileOptions {
  cacheControl: string;
  /** Override the type guessed from the extension. */
  contentType?: string;
}

/** Answers a GET or HEAD for `file`. */
export function sendFile(req: Request, file: SafeFile, opts: SendFileOptions): Response {
  const etag = etagFor(file);
  const headers = new Headers({
    'Content-Type': opts.contentType ?? mimeType(file.path),
    'Cache-Control': opts.cacheControl,
    ETag: etag,
    'Last-Modified': new Date(file.mtimeMs).toUTCString(),
    'Accept-Ranges': 'bytes',
  });
  const head = req.method === 'HEAD';

  if (matchesEtag(req.headers.get('If-None-Match'), etag)) {
    return new Response(null, { status: 304, headers });
  }

  const ifRange = req.headers.get('If-Range');
  // A range against a changed file would splice two versions together, so send it whole.
  const rangeAllowed = ifRange === null || ifRange.trim() === etag;
  const range = rangeAllowed ? parseRange(req.headers.get('Range'), file.size) : undefined;

  if (range === 'unsatisfiable') {
    headers.set('Content-Range', `bytes */${file.size}`);
    headers.set('Content-Length', '0');
    return new Response(null, { status: 416, headers });
  }
  if (range) {
    headers.set('Content-Range', `bytes ${range.start}-${range.end}/${file.size}`);
    headers.set('Content-Length', String(range.end - range.start + 1));
    return new Response(head ? null : stream(file.path, range), { status: 206, headers });
  }
  headers.set('Content-Length', String(file.size));
  return new Response(head || file.size === 0 ? null : stream(file.path), { status: 200, headers });
}
