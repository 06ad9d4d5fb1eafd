/**
 * The one request handler both hosts mount: the browser host through
 * node:http, the Electron host through `protocol.handle('app', ...)`.
 * It speaks only web `Request`/`Response`, so it runs the same in both.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { ContentSource } from '../content/source.js';
import { PAGE_KEY_HEADER } from '../contract/page-key.js';
import {
  defaultLog,
  exhibitPayload,
  exhibitResponse,
  healthResponse,
  logRoute,
  type RendererLogEntry,
  type SettingsOverrides,
} from './api.js';
import { DEFAULT_PING_MS, eventStream, type ScheduleFeed } from './events.js';
import type { HostFeatures } from '../contract/exhibit.js';
import type { PreviewStatus } from '../contract/problems.js';
import { createRateLimiter } from './guards.js';
import { withSecurityHeaders } from './headers.js';
import { MEDIA_PREFIX, serveMedia } from './media.js';
import { json, methodNotAllowed, notFound } from './responses.js';
import { isSameOrigin } from './same-origin.js';
import { decodeForMessage, serveRenderer } from './static-files.js';
import { isVisitPath } from './visits.js';

/** What the handler serves, and from where. */
export interface HandlerOptions {
  /** The built renderer (`dist/renderer`). May be missing: `/` then says to run `npm run build`. */
  rendererDir: string;
  /** The live content; media are served from its `dir` + `/media/`. */
  content: ContentSource;
  /** Settings overrides for this run (CLI flags), applied to `/api/exhibit`. */
  settings?: SettingsOverrides;
  /** Receives renderer error reports (`POST /api/log`); default: one line on stderr. */
  onRendererLog?: (entry: RendererLogEntry) => void;
  /** Handles `/api/staff/*`, the staff panel's routes. Without it those paths are 404. */
  staff?: (req: Request, url: URL) => Response | Promise<Response>;
  /** Handles `/api/visits` and `/api/staff/visits*` (./visits.ts). Without it those paths are 404. */
  visits?: (req: Request, url: URL) => Response | Promise<Response>;
  /** Editors' preview (`npm run preview`): `GET /api/preview/status` answers `{version, problems}`; else 404. */
  preview?: boolean;
  /** The opening hours, told to the page on `/api/events`; without it the page is always open. */
  schedule?: ScheduleFeed;
  /** Keep-alive interval of `/api/events`. */
  pingIntervalMs?: number;
  /** Hears unexpected errors (answered with a 500); default: one line on stderr. */
  onError?: (err: unknown, req: Request) => void;
  /** Clock for uptime and the rate limits; tests may pass their own. */
  now?: () => number;
  /**
   * The page key written into `index.html` and required with the page's
   * rollback and confirm reports (main/contract/page-key.ts); default: a fresh
   * random one per handler, i.e. per start.
   */
  pageKey?: string;
  /** Most `/api/events` streams open at once (default {@link MAX_EVENT_STREAMS}); beyond it, 503. */
  maxEventStreams?: number;
}

/** A kiosk page needs one or two event streams; 20 000 once exhausted memory and file descriptors. */
const MAX_EVENT_STREAMS = 32;
/** Renderer reports taken a minute; a page in trouble sends a few, a flood once rotated the whole log away. */
const LOG_REPORTS_PER_MINUTE = 60;

/** Equal strings, compared in constant time. */
function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A runtime-agnostic request handler. */
export type Handler = (req: Request) => Promise<Response>;

const READ = 'GET, HEAD';

/** Builds the handler. Every response it returns carries the security headers. */
export function createHandler(opts: HandlerOptions): Handler {
  const now = opts.now ?? Date.now;
  const startedAt = now();
  const onLog = opts.onRendererLog ?? defaultLog;
  // Told to the page with the exhibit, so it never probes for routes this host lacks.
  const features: HostFeatures = { staff: opts.staff !== undefined, editorPreview: opts.preview === true };
  const pageKey = opts.pageKey ?? randomBytes(32).toString('hex');
  const fromPage = (req: Request) => sameText(req.headers.get(PAGE_KEY_HEADER) ?? '', pageKey);
  const maxStreams = opts.maxEventStreams ?? MAX_EVENT_STREAMS;
  let openStreams = 0;
  // The page's own (keyed) reports have a budget of their own, so a flood of keyless ones cannot
  // crowd out the error that should roll a broken version back.
  const logLimit = { requests: LOG_REPORTS_PER_MINUTE, windowMs: 60_000 };
  const keylessLimited = createRateLimiter(logLimit, now);
  const pageLimited = createRateLimiter(logLimit, now);
  // Refused reports are counted and told at most once a minute, so the flood itself never fills the log.
  let dropped = 0;
  let droppedToldAt = -Infinity;
  const tellDropped = () => {
    if (dropped === 0 || now() - droppedToldAt < 60_000) return;
    onLog({ level: 'warn', kind: 'rate-limit', message: `renderer reports dropped: ${dropped}` });
    dropped = 0;
    droppedToldAt = now();
  };

  const events = (req: Request): Response => {
    if (req.method === 'HEAD') return eventStream(req, opts.content, 0, undefined, { headOnly: true });
    if (openStreams >= maxStreams)
      return json(
        503,
        { error: `Too many event streams open (${maxStreams}); try again shortly` },
        { 'Retry-After': '5' },
      );
    openStreams++;
    return eventStream(req, opts.content, opts.pingIntervalMs ?? DEFAULT_PING_MS, opts.schedule, {
      onEnd: () => openStreams--,
    });
  };

  async function route(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const p = url.pathname;
    const reading = req.method === 'GET' || req.method === 'HEAD';

    if (p.startsWith('/api/')) {
      if (p === '/api/exhibit')
        return reading ? exhibitResponse(opts.content, opts.settings, features) : methodNotAllowed(READ);
      if (p === '/api/events') return reading ? events(req) : methodNotAllowed(READ);
      if (p === '/api/health')
        return reading ? healthResponse(opts.content, startedAt, now()) : methodNotAllowed(READ);
      if (p === '/api/log') {
        if (req.method !== 'POST') return methodNotAllowed('POST');
        // Any web page the kiosk's browser opens could post here; only the kiosk may fill its log.
        if (!isSameOrigin(req, url))
          return json(403, { error: 'Log reports are taken only from the kiosk itself' });
        const keyed = fromPage(req);
        if (keyed ? pageLimited() : keylessLimited()) {
          dropped++;
          tellDropped();
          await req.body?.cancel().catch(() => {});
          return json(
            429,
            { error: `At most ${LOG_REPORTS_PER_MINUTE} log reports a minute` },
            { 'Retry-After': '60' },
          );
        }
        tellDropped();
        // Only the page's own error may roll a new version back; anything else is kept as a warning.
        return logRoute(req, (entry) =>
          onLog(
            keyed || entry.level !== 'error'
              ? entry
              : {
                  ...entry,
                  level: 'warn',
                  message: `(unverified: sent without the page key) ${entry.message}`,
                },
          ),
        );
      }
      if (p === '/api/preview/status') {
        if (!opts.preview) return notFound('Not an editor preview');
        if (!reading) return methodNotAllowed(READ);
        return json(200, {
          version: opts.content.current()?.version ?? null,
          problems: opts.content.problems(),
        } satisfies PreviewStatus);
      }
      if (isVisitPath(p))
        return opts.visits ? opts.visits(req, url) : notFound('Visits are not counted here');
      if ((p === '/api/staff/applying' || p === '/api/staff/rendered') && opts.staff && !fromPage(req)) {
        // These confirm or start the trial of a new version; only the page the kiosk served may send them.
        return json(403, { error: "Only the kiosk's own page reports what it draws" });
      }
      if (p === '/api/staff' || p.startsWith('/api/staff/')) {
        return opts.staff ? opts.staff(req, url) : notFound('The staff panel is not available here');
      }
      return notFound(`No API at ${decodeForMessage(p)}`);
    }
    if (!reading) return methodNotAllowed(READ);
    if (p.startsWith(MEDIA_PREFIX)) return serveMedia(req, opts.content.dir, p);
    return serveRenderer(req, opts.rendererDir, p, {
      pageKey,
      exhibit: () => exhibitPayload(opts.content, opts.settings, features),
      schedule: () => opts.schedule?.status(),
    });
  }

  return async (req) => {
    let res: Response;
    try {
      res = await route(req);
    } catch (err) {
      if (opts.onError) opts.onError(err, req);
      else process.stderr.write(`Vitrine handler error on ${req.method} ${req.url}: ${String(err)}\n`);
      res = json(500, { error: 'Internal error; the kiosk keeps running' });
    }
    return withSecurityHeaders(res);
  };
}
