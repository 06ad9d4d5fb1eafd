/**
 * The visit routes:
 *
 * - `POST /api/visits`: the page's one summary of an ended visit (same-origin
 *   only, small bodies, rate limited). With counting off it answers 204 and
 *   stores nothing.
 * - `GET /api/staff/visits?days=7|30|365`: the hourly counts of the range, as
 *   they may be shown (staff session).
 * - `POST /api/staff/visits/export` `{"to": "inbox" | "/media/usb/..."}`:
 *   writes the CSV tables to the inbox or a USB stick (staff session).
 */
import type { VisitExportResult, VisitReport } from '../contract/visits.js';
import { hourKey, hourStart } from '../contract/visits.js';
import { exportTarget, type Insight } from '../insight/insight.js';
import { parseVisitSummary } from '../insight/visit-counts.js';
import type { StaffAuth } from '../staff/auth.js';
import { BodyTooLarge } from './body.js';
import { createRateLimiter, readJsonBody, staffRefusal } from './guards.js';
import { json, methodNotAllowed, notFound } from './responses.js';
import { isSameOrigin } from './same-origin.js';

/** Largest accepted visit summary or export request, in bytes. */
const MAX_VISIT_BODY = 8 * 1024;

/** Options for {@link createVisitRoutes}. */
export interface VisitRoutesOptions {
  insight: Insight;
  /** The staff sessions; without them the staff routes answer 404. */
  auth?: StaffAuth;
  /** The current exhibit's chapters, in order, titled in its default language. */
  chapters: () => { id: string; title: string }[];
  /** The inbox folder, if any: the default export target. */
  inbox: () => string | undefined;
  /** Other folders an export may go to (USB mounts). */
  exportRoots?: string[];
  now?: () => number;
  /** Summaries accepted per minute from the page (a visit lasts far longer). Default 30. */
  perMinute?: number;
}

const RANGES = [7, 30, 365];

/** Builds the handler for `/api/visits` and `/api/staff/visits*`. */
export function createVisitRoutes(opts: VisitRoutesOptions) {
  const now = opts.now ?? Date.now;
  const limitedPage = createRateLimiter({ requests: opts.perMinute ?? 30, windowMs: 60_000 }, now);
  const limitedStaff = createRateLimiter({ requests: 120, windowMs: 60_000 }, now);

  const readJson = async (req: Request): Promise<unknown> => {
    const body = await readJsonBody(req, MAX_VISIT_BODY, { emptyAs: undefined });
    return body.ok ? body.value : undefined;
  };

  const fromMs = (days: number) => hourStart(hourKey(now())) - (days * 24 - 1) * 3_600_000;

  const post = async (req: Request): Promise<Response> => {
    if (req.method !== 'POST') return methodNotAllowed('POST');
    if (limitedPage()) return json(429, { error: 'Too many visit reports' }, { 'Retry-After': '60' });
    const raw = await readJson(req);
    // Counting off: nothing is kept, and the page need not know.
    if (!opts.insight.counting) return new Response(null, { status: 204 });
    const visit = parseVisitSummary(raw);
    if (!visit) return json(400, { error: 'Not a visit summary' });
    opts.insight.recordVisit(visit);
    return new Response(null, { status: 204 });
  };

  const staff = async (req: Request, url: URL, route: string): Promise<Response> => {
    const auth = opts.auth;
    if (!auth) return notFound('The staff panel is not available here');
    if (limitedStaff())
      return json(429, { error: 'Too many requests; wait a minute' }, { 'Retry-After': '60' });
    const refused = staffRefusal(auth, req, { touch: req.method === 'POST' });
    if (refused) return refused;
    if (route === '') {
      if (req.method !== 'GET') return methodNotAllowed('GET');
      const asked = Number(url.searchParams.get('days') ?? 7);
      const days = RANGES.includes(asked) ? asked : 7;
      const from = fromMs(days);
      return json(200, {
        counting: opts.insight.counting,
        days,
        from: hourKey(from),
        hours: opts.insight.hours(from),
        chapters: opts.chapters(),
      } satisfies VisitReport);
    }
    if (route === 'export') {
      if (req.method !== 'POST') return methodNotAllowed('POST');
      const body = (await readJson(req)) as { to?: unknown; days?: unknown } | undefined;
      const to = typeof body?.to === 'string' && body.to !== 'inbox' ? body.to : undefined;
      const inbox = opts.inbox();
      const roots = [...(inbox ? [inbox] : []), ...(opts.exportRoots ?? [])];
      const requested = to ?? inbox;
      if (!requested) return json(409, { error: 'No inbox folder is configured; give a USB folder' });
      const target = await exportTarget(requested, roots);
      if (!target.ok) return json(400, { error: target.message });
      const days = RANGES.includes(Number(body?.days)) ? Number(body?.days) : 365;
      const result = await opts.insight.exportCsv(target.dir, fromMs(days), opts.chapters());
      return json(200, result satisfies VisitExportResult);
    }
    return notFound('No such staff route');
  };

  return async (req: Request, url: URL): Promise<Response> => {
    if (!isSameOrigin(req, url)) return json(403, { error: 'Visit routes answer only the kiosk itself' });
    try {
      if (url.pathname === '/api/visits') return await post(req);
      return await staff(req, url, url.pathname.replace(/^\/api\/staff\/visits\/?/, ''));
    } catch (err) {
      if (err instanceof BodyTooLarge)
        return json(413, { error: `Visit requests are limited to ${MAX_VISIT_BODY} bytes` });
      throw err;
    }
  };
}

/** Whether `pathname` is one of {@link createVisitRoutes}'s. */
export function isVisitPath(pathname: string): boolean {
  return (
    pathname === '/api/visits' ||
    pathname === '/api/staff/visits' ||
    pathname.startsWith('/api/staff/visits/')
  );
}
