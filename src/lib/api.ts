/**
 * The renderer's only link to its host: the exhibit over `fetch`, content
 * updates over `EventSource`, and error reports back to `POST /api/log`.
 * Works the same under the Electron `app://` host and the browser host.
 */
import {
  INLINE_EXHIBIT_ID,
  type ContentEvent,
  type Exhibit,
  type ExhibitPayload,
  type HostFeatures,
} from '../../main/contract/exhibit.js';
import { asScheduleEvent, INLINE_SCHEDULE_ID, type ScheduleEvent } from '../../main/contract/schedule.js';
import type { RendererLogEntry } from '../../main/contract/staff.js';
import { pageKeyHeaders } from './page-key.js';

/** A validated exhibit, the content version it came from, and what else the host serves. */
export interface LoadedExhibit {
  version: string;
  exhibit: Exhibit;
  host: HostFeatures;
}

/** The outcome of asking the host for the exhibit. */
export type ExhibitResult = { ok: true; value: LoadedExhibit } | { ok: false; reason: string };

/**
 * Fetches `/api/exhibit`. The host validated the exhibit against the content
 * schema before serving it, so the page checks only that the answer has the
 * contract's shape: a schema library would cost every visitor its weight.
 */
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
  return asExhibit(body, 'api/exhibit');
}

/**
 * The exhibit the host wrote into the page it served (the same payload as
 * `/api/exhibit`), taken out of the page once read so it is not kept twice;
 * undefined when there is none, so the caller fetches instead.
 */
export function inlineExhibit(doc: Document = document): ExhibitResult | undefined {
  const el = doc.getElementById(INLINE_EXHIBIT_ID);
  if (!el) return undefined;
  el.remove();
  try {
    return asExhibit(JSON.parse(el.textContent ?? ''), 'the page');
  } catch {
    return { ok: false, reason: 'the page carried an exhibit that is not JSON' };
  }
}

/**
 * The opening hours' state the host wrote into the page it served, taken out
 * of the page once read; undefined when there is none (a host without opening
 * hours) or it cannot be read, and the event stream says it a moment later.
 */
export function inlineSchedule(doc: Document = document): ScheduleEvent | undefined {
  const el = doc.getElementById(INLINE_SCHEDULE_ID);
  if (!el) return undefined;
  el.remove();
  try {
    return asScheduleEvent(JSON.parse(el.textContent ?? ''));
  } catch {
    reportError('content', 'the page carried opening hours that are not JSON');
    return undefined;
  }
}

/** `body` as a loaded exhibit when it has the contract's shape; `from` names where it came from. */
function asExhibit(body: unknown, from: string): ExhibitResult {
  const reason = notAnExhibit(body);
  if (reason) return { ok: false, reason: `${from} sent ${reason}` };
  const payload = body as ExhibitPayload;
  // A host that does not say serves none of the optional routes.
  const host: Partial<HostFeatures> = payload.host ?? {};
  return {
    ok: true,
    value: {
      version: payload.version,
      exhibit: payload.exhibit,
      host: { staff: host.staff === true, editorPreview: host.editorPreview === true },
    },
  };
}

/** Why `body` is not an {@link ExhibitPayload}, or undefined when it has the contract's shape. */
function notAnExhibit(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return 'no object';
  const { version, exhibit } = body as Partial<Record<keyof ExhibitPayload, unknown>>;
  if (typeof version !== 'string') return 'no content version';
  if (typeof exhibit !== 'object' || exhibit === null) return 'no exhibit';
  const { settings, chapters, title } = exhibit as Partial<Record<keyof Exhibit, unknown>>;
  if (typeof settings !== 'object' || settings === null) return 'an exhibit without settings';
  if (typeof title !== 'object' || title === null) return 'an exhibit without a title';
  if (!Array.isArray(chapters) || chapters.length === 0) return 'an exhibit without chapters';
  return undefined;
}

/**
 * Listens for `event: content` on `/api/events` and calls `onVersion` with
 * each new version, and for `event: schedule` (the opening hours) and calls
 * `onSchedule`. Reconnects with a growing delay (1 s to 30 s) whenever the
 * stream drops. Returns a function that stops listening.
 */
export function watchContent(
  onVersion: (version: string) => void,
  onSchedule?: (event: ScheduleEvent) => void,
): () => void {
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
        const data = JSON.parse((e as MessageEvent<string>).data) as Partial<
          Record<keyof ContentEvent, unknown>
        >;
        if (typeof data.version === 'string') onVersion(data.version);
      } catch {
        reportError('events', 'unreadable content event');
      }
    });
    source.addEventListener('schedule', (e) => {
      try {
        const event = asScheduleEvent(JSON.parse((e as MessageEvent<string>).data));
        if (event) onSchedule?.(event);
      } catch {
        reportError('events', 'unreadable schedule event');
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
 * The body of a `POST /api/log` report: the contract's entry, cut to lengths the host keeps whole.
 * `stack` is the failure's stack trace, `url` the script it was thrown in.
 */
function logEntry(kind: string, message: string, stack?: string, url?: string): RendererLogEntry {
  return {
    level: 'error',
    kind,
    message: message.slice(0, 2000),
    stack: stack?.slice(0, 4000),
    url: url?.slice(0, 500),
  };
}

/**
 * Sends a renderer problem to the host's log. Never throws and never floods:
 * at most 20 reports a minute.
 */
export function reportError(kind: string, message: string, stack?: string, url?: string): void {
  const now = Date.now();
  if (now - minuteStart > 60_000) {
    minuteStart = now;
    reportsThisMinute = 0;
  }
  if (++reportsThisMinute > 20) return;
  const body = JSON.stringify(logEntry(kind, message, stack, url));
  try {
    void fetch('api/log', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...pageKeyHeaders() },
      body,
    }).catch(() => undefined);
  } catch {
    // Reporting is best effort; the visitor must never see it fail.
  }
}

// Whatever was thrown may be anything; only a real stack string is worth sending.
const stackOf = (thrown: unknown): string | undefined => {
  const stack = (thrown as { stack?: unknown } | null | undefined)?.stack;
  return typeof stack === 'string' ? stack : undefined;
};

/** Reports uncaught errors and rejected promises to the host. */
export function installErrorReporting(): void {
  window.addEventListener('error', (e) => reportError('error', e.message, stackOf(e.error), e.filename));
  window.addEventListener('unhandledrejection', (e) =>
    reportError('unhandledrejection', String(e.reason), stackOf(e.reason)),
  );
}
