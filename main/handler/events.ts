/**
 * `GET /api/events`: a server-sent event stream that tells the renderer when
 * a new content version is ready and, on a kiosk with opening hours, the
 * schedule's state (at once on connecting, then at each change), with a
 * keep-alive comment in between.
 */
import type { ScheduleEvent, ScheduleStatus } from '../contract/schedule.js';
import type { ContentSource } from '../content/source.js';

/** The opening hours as the stream follows them (main/kiosk/opening-hours.ts). */
export interface ScheduleFeed {
  status(): ScheduleStatus;
  subscribe(fn: (status: ScheduleStatus) => void): () => void;
}

/** How often a `: ping` comment is sent, so proxies and sleepy sockets keep the stream open. */
export const DEFAULT_PING_MS = 15_000;

/** Options of {@link eventStream}. */
export interface EventStreamOptions {
  /** Called once when the stream ends (client gone, cancelled), so its slot can be given back. */
  onEnd?: () => void;
  /** Answer the headers only (a HEAD request): nothing is subscribed, nothing is left running. */
  headOnly?: boolean;
}

/** Unread messages after which a stream counts as abandoned (a quarter of an hour of pings by default). */
const UNREAD_CHUNKS_LIMIT = 60;

const STREAM_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-store',
  'X-Accel-Buffering': 'no',
};

/** Opens one event stream; it ends, and frees its timer and subscriptions, when the client goes away. */
export function eventStream(
  req: Request,
  source: ContentSource,
  pingMs = DEFAULT_PING_MS,
  schedule?: ScheduleFeed,
  opts: EventStreamOptions = {},
): Response {
  // A stream body starts its timer and subscriptions at once; a HEAD answer would never end them.
  if (opts.headOnly || req.method === 'HEAD') {
    opts.onEnd?.();
    return new Response(null, { status: 200, headers: STREAM_HEADERS });
  }
  const encoder = new TextEncoder();
  let cleanup = () => {};

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      const send = (text: string) => {
        if (!open) return;
        // A client that has not read the last few minutes of pings is gone, whatever its host says.
        if ((controller.desiredSize ?? 0) < -UNREAD_CHUNKS_LIMIT) {
          cleanup();
          try {
            controller.close();
          } catch {
            // Already closed or errored.
          }
          return;
        }
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup();
        }
      };
      const unsubscribe = source.subscribe((snap) => {
        send(`event: content\ndata: ${JSON.stringify({ version: snap.version })}\n\n`);
      });
      const sendSchedule = (s: ScheduleStatus) => {
        const data: ScheduleEvent = s;
        send(`event: schedule\ndata: ${JSON.stringify(data)}\n\n`);
      };
      const unschedule = schedule?.subscribe(sendSchedule) ?? (() => {});
      const ping = setInterval(() => send(': ping\n\n'), pingMs);
      // A host may never deliver `cancel` for an aborted request, so the abort signal is heard too.
      const onAbort = () => {
        cleanup();
        try {
          controller.close();
        } catch {
          // Already closed or errored.
        }
      };
      cleanup = () => {
        if (!open) return;
        open = false;
        clearInterval(ping);
        unsubscribe();
        unschedule();
        req.signal.removeEventListener('abort', onAbort);
        opts.onEnd?.();
      };
      if (req.signal.aborted) return onAbort();
      req.signal.addEventListener('abort', onAbort, { once: true });
      // A reconnecting EventSource waits this long; the opening comment makes the stream visibly live.
      send('retry: 2000\n: connected\n\n');
      // The page learns at once whether it is open, and so never shows the exhibit in closed hours.
      if (schedule) sendSchedule(schedule.status());
    },
    cancel() {
      cleanup();
    },
  });

  return new Response(body, { status: 200, headers: STREAM_HEADERS });
}
