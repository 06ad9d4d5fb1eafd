/**
 * The renderer's only link to its host: the exhibit over `fetch`, content
 * updates over `EventSource`, and error reports back to `POST /api/log`.
 * Works the same under the Electron `app://` host and the browser host.
 */
import type { Exhibit } from '../../main/content/schema.js';

/** A validated exhibit and the content version it came from. */
export interface LoadedExhibit {
  version: string;
  exhibit: Exhibit;
}

/** The outcome of asking the host for the exhibit. */
export type ExhibitResult = { ok: true; value: LoadedExhibit } | { ok: false; reason: string };

/** Fetches `/api/exhibit` and validates it against the content schema. */
export async function fetchExhibit(fetcher: typeof fetch = fetch): Promise<ExhibitResult> {
  let res: Response;
  try {
    res = await fetcher('api/exhibit', { cache: 'no-store' });
  } catch (err) {
    return { ok: false, reason: `host unreachable: ${String(err)}` };
  }
  if (!res.ok) return { ok: false, reason: `api/exhibit answered ${res.status}` };
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    return { ok: false, reason: 'api/exhibit sent something that is not JSON' };
  }
  const payload = body as { version?: unknown; exhibit?: unknown } | null;
  // zod is most of the schema's weight: it loads beside the first request, not in the entry chunk.
  const { Exhibit: schema } = await import('../../main/content/schema.js');
  const parsed = schema.safeParse(payload?.exhibit);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { ok: false, reason: `exhibit failed validation at ${first?.path.join('.')}: ${first?.message}` };
  }
  return { ok: true, value: { version: String(payload?.version ?? '0'), exhibit: parsed.data } };
}

/**
 * Listens for `event: content` on `/api/events` and calls `onVersion` with
 * each new version. Reconnects with a growing delay (1 s to 30 s) whenever the
 * stream drops. Returns a function that stops listening.
 */
export function watchContent(onVersion: (version: string) => void): () => void {
  let source: EventSource | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let delay = 1000;
  let stopped = false;

  const connect = () => {
    if (stopped || typeof EventSource === 'undefined') return;
    source = new EventSource('api/events');
    source.addEventListener('open', () => {
      delay = 1000;
    });
    source.addEventListener('content', (e) => {
      try {
        const data = JSON.parse((e as MessageEvent<string>).data) as { version?: unknown };
        if (typeof data.version === 'string') onVersion(data.version);
      } catch {
        reportError('events', 'unreadable content event');
      }
    });
    source.addEventListener('error', () => {
      // EventSource retries by itself only for some failures; close and retry on our own schedule.
      source?.close();
      if (stopped) return;
      retry = setTimeout(connect, delay);
      delay = Math.min(30_000, delay * 2);
    });
  };
  connect();
  return () => {
    stopped = true;
    clearTimeout(retry);
    source?.close();
  };
}

let reportsThisMinute = 0;
let minuteStart = 0;

/**
 * Sends a renderer problem to the host's log. Never throws and never floods:
 * at most 20 reports a minute.
 */
export function reportError(kind: string, message: string, detail?: unknown): void {
  const now = Date.now();
  if (now - minuteStart > 60_000) {
    minuteStart = now;
    reportsThisMinute = 0;
  }
  if (++reportsThisMinute > 20) return;
  const body = JSON.stringify({
    level: 'error',
    kind,
    message: message.slice(0, 2000),
    detail: detail === undefined ? undefined : String(detail).slice(0, 4000),
    at: new Date(now).toISOString(),
  });
  try {
    void fetch('api/log', { method: 'POST', headers: { 'content-type': 'application/json' }, body }).catch(
      () => undefined,
    );
  } catch {
    // Reporting is best effort; the visitor must never see it fail.
  }
}

/** Reports uncaught errors and rejected promises to the host. */
export function installErrorReporting(): void {
  window.addEventListener('error', (e) => reportError('error', e.message, e.error?.stack ?? e.filename));
  window.addEventListener('unhandledrejection', (e) =>
    reportError('unhandledrejection', String(e.reason), (e.reason as Error | undefined)?.stack),
  );
}
