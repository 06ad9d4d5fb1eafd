import { afterEach, describe, expect, it, vi } from 'vitest';
import { installErrorReporting, reportError } from '../../src/lib/api.js';
import { logRoute, type RendererLogEntry } from '../../main/handler/api.js';

/** Captures what the page posts to `api/log` instead of sending it. */
function captureFetch(): RequestInit[] {
  const sent: RequestInit[] = [];
  vi.stubGlobal('fetch', (url: string, init: RequestInit) => {
    expect(url).toBe('api/log');
    sent.push(init);
    return Promise.resolve(new Response(null, { status: 204 }));
  });
  return sent;
}

/** Hands what the page sent to the host's route, as the handler does, and returns what the host logs. */
async function hostReads(init: RequestInit): Promise<RendererLogEntry[]> {
  const seen: RendererLogEntry[] = [];
  const res = await logRoute(new Request('http://kiosk/api/log', { ...init }), (e) => seen.push(e));
  expect(res.status).toBe(204);
  return seen;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("the page's error report, as the host reads it", () => {
  it('arrives with its kind, message and stack in the fields the contract names', async () => {
    const sent = captureFetch();
    reportError('audio', 'could not load sound', 'Error: 404\n    at load (audio.ts:3)');
    expect(sent).toHaveLength(1);
    expect(await hostReads(sent[0]!)).toEqual([
      {
        level: 'error',
        kind: 'audio',
        message: 'could not load sound',
        stack: 'Error: 404\n    at load (audio.ts:3)',
        detail: undefined,
        url: undefined,
      },
    ]);
  });

  it('sends nothing the contract does not name', () => {
    const sent = captureFetch();
    reportError('content', 'no chapters', 'at x', 'app.js');
    const fields = Object.keys(JSON.parse(String(sent[0]!.body)) as object);
    const contract: (keyof RendererLogEntry)[] = ['level', 'message', 'kind', 'stack', 'detail', 'url'];
    expect(fields.filter((f) => !contract.includes(f as keyof RendererLogEntry))).toEqual([]);
  });

  it("an uncaught error's stack and script reach the host as stack and url", async () => {
    const sent = captureFetch();
    const page = new EventTarget();
    vi.stubGlobal('window', page);
    installErrorReporting();
    const thrown = new Error('slide missing');
    page.dispatchEvent(
      Object.assign(new Event('error'), {
        message: 'Uncaught Error: slide missing',
        error: thrown,
        filename: 'http://kiosk/assets/app.js',
      }),
    );
    const [entry] = await hostReads(sent[0]!);
    expect(entry).toMatchObject({
      kind: 'error',
      message: 'Uncaught Error: slide missing',
      stack: thrown.stack,
      url: 'http://kiosk/assets/app.js',
    });
    expect(entry!.stack).toContain('slide missing');
  });
});
