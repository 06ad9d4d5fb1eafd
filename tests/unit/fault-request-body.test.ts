/**
 * Fault: a client posts a body far larger than any staff or log request
 * (hundreds of megabytes, declared or streamed without a length). The kiosk
 * must refuse it with 413 having taken in at most the limit plus one chunk,
 * never the whole upload.
 */
import { describe, expect, it } from 'vitest';
import type { LiveContent } from '../../main/content/live.js';
import { MAX_LOG_BYTES, logRoute } from '../../main/handler/api.js';
import { createStaffRoutes, MAX_STAFF_BODY } from '../../main/handler/staff.js';
import type { StaffAuth } from '../../main/staff/auth.js';
import type { ErrorRing } from '../../main/staff/errors.js';

const CHUNK = 64 * 1024;
/** Where the endless body gives up, so that code reading it whole finishes (and fails the test) instead of hanging. */
const GIVE_UP = 16 * 1024 * 1024;

/** A body that would go on for ever, counting how many bytes the server pulled from it. */
function endlessBody(): {
  stream: ReadableStream<Uint8Array>;
  pulled: () => number;
  cancelled: () => boolean;
} {
  let pulled = 0;
  let cancelled = false;
  const chunk = new Uint8Array(CHUNK).fill(0x20);
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (pulled >= GIVE_UP) {
          controller.close();
          return;
        }
        pulled += CHUNK;
        controller.enqueue(chunk);
      },
      cancel() {
        cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => pulled, cancelled: () => cancelled };
}

const post = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
  new Request(`http://127.0.0.1${path}`, {
    method: 'POST',
    body,
    headers: { 'Sec-Fetch-Site': 'same-origin', 'Content-Type': 'application/json', ...headers },
    duplex: 'half',
  } as RequestInit);

function staffRoutes() {
  const logins: unknown[] = [];
  const reports: string[] = [];
  const routes = createStaffRoutes({
    live: {
      rendererApplying: (v: string) => reports.push(v),
      rendererRendered: () => undefined,
    } as never as LiveContent,
    auth: {
      login: async (pin: unknown) => {
        logins.push(pin);
        return { ok: false, reason: 'wrong', attemptsLeft: 4 };
      },
    } as never as StaffAuth,
    errors: { add: () => undefined, list: () => [] } as never as ErrorRing,
  });
  return { logins, reports, handle: (req: Request) => routes(req, new URL(req.url)) };
}

describe('staff request bodies are bounded before they are read', () => {
  it('refuses an endless streamed body with 413, having pulled at most the limit and one chunk', async () => {
    const { handle, logins } = staffRoutes();
    const body = endlessBody();
    const res = await handle(post('/api/staff/session', body.stream));
    expect(res.status).toBe(413);
    expect(body.pulled()).toBeLessThanOrEqual(MAX_STAFF_BODY + 2 * CHUNK);
    expect(body.cancelled(), 'the rest of the upload is cancelled, not drained').toBe(true);
    expect(logins, 'a refused body never reaches the PIN check').toEqual([]);
  });

  it('refuses a declared Content-Length over the limit without reading a byte', async () => {
    const { handle, reports } = staffRoutes();
    const body = endlessBody();
    const res = await handle(post('/api/staff/applying', body.stream, { 'Content-Length': '314572800' }));
    expect(res.status).toBe(413);
    expect((await res.json()).error).toMatch(/4096 bytes/);
    expect(body.pulled()).toBe(0);
    expect(reports).toEqual([]);
  });

  it('still takes an ordinary body, and tells a small malformed one apart from a huge one', async () => {
    const { handle, logins, reports } = staffRoutes();
    expect((await handle(post('/api/staff/applying', JSON.stringify({ version: 'v2' })))).status).toBe(204);
    expect(reports).toEqual(['v2']);
    expect((await handle(post('/api/staff/session', JSON.stringify({ pin: '1234' })))).status).toBe(401);
    expect(logins).toEqual(['1234']);
    expect((await handle(post('/api/staff/applying', 'not json'))).status).toBe(400);
    const padded = JSON.stringify({ version: 'v3', pad: 'x'.repeat(MAX_STAFF_BODY) });
    expect((await handle(post('/api/staff/applying', padded))).status).toBe(413);
    expect(reports).toEqual(['v2']);
  });
});

describe('renderer log reports are bounded the same way', () => {
  it('refuses an endless streamed report with 413 after at most the limit and one chunk', async () => {
    const seen: unknown[] = [];
    const body = endlessBody();
    const res = await logRoute(post('/api/log', body.stream), (e) => seen.push(e));
    expect(res.status).toBe(413);
    expect(body.pulled()).toBeLessThanOrEqual(MAX_LOG_BYTES + 2 * CHUNK);
    expect(body.cancelled()).toBe(true);
    expect(seen).toEqual([]);
  });

  it('refuses a declared Content-Length over the limit without reading', async () => {
    const body = endlessBody();
    const res = await logRoute(post('/api/log', body.stream, { 'Content-Length': '999999999' }), () => {
      throw new Error('must not be logged');
    });
    expect(res.status).toBe(413);
    expect(body.pulled()).toBe(0);
  });
});
