/**
 * `/api/staff/*`: the staff panel's routes. Every route is same-origin only
 * and rate limited; all but the renderer's own `applying`/`rendered` reports
 * need a session token obtained with the PIN (`POST /api/staff/session`),
 * sent as `Authorization: Bearer <token>`.
 */
import type { LiveContent } from '../content/live.js';
import type { ScheduleStatus } from '../contract/schedule.js';
import type { ApplyInboxAnswer, RollbackAnswer, StaffSession, StaffStatus } from '../contract/staff.js';
import type { StaffAuth } from '../staff/auth.js';
import type { ErrorRing } from '../staff/errors.js';
import { BodyTooLarge } from './body.js';
import { bearerToken, createRateLimiter, readJsonBody, staffRefusal } from './guards.js';
import { json, methodNotAllowed, notFound } from './responses.js';
import { isSameOrigin } from './same-origin.js';

/** Things only the host can do; each is offered in the panel only when given. */
export interface StaffHostActions {
  /** Restart the kiosk (Electron: `app.relaunch(); app.exit()`). */
  restart?: () => void | Promise<void>;
  /** Leave kiosk mode (Electron: `app.exit()`; the browser host: close the window and the server). */
  exit?: () => void | Promise<void>;
}

/** Options for {@link createStaffRoutes}. */
export interface StaffRoutesOptions {
  live: LiveContent;
  auth: StaffAuth;
  errors: ErrorRing;
  actions?: StaffHostActions;
  /** When the host started (epoch ms), for uptime. Default: now. */
  startedAt?: number;
  now?: () => number;
  /** Requests allowed per window from all clients together. Default 120 per 60 s. */
  rateLimit?: { requests: number; windowMs: number };
  /** Whether staff may leave kiosk mode (`allowExit` in `config.json`). Default false: exit is refused. */
  allowExit?: boolean;
  /** The opening hours' state now; without it the kiosk is always open. */
  schedule?: () => ScheduleStatus;
}

/** The staff status's view of the schedule: its state and, when there is one, the next change. */
function scheduleOf(s: ScheduleStatus): StaffStatus['schedule'] {
  return s.nextChange ? { state: s.state, nextChange: s.nextChange } : { state: s.state };
}

/** Largest accepted staff request body, in bytes. */
export const MAX_STAFF_BODY = 4096;

/**
 * The body as a JSON object, or undefined when it is not one. Throws
 * {@link BodyTooLarge} (answered with 413) before buffering more than
 * {@link MAX_STAFF_BODY} bytes.
 */
async function readJson(req: Request): Promise<Record<string, unknown> | undefined> {
  const body = await readJsonBody(req, MAX_STAFF_BODY, { emptyAs: {} });
  return body.ok && typeof body.value === 'object' && body.value !== null
    ? (body.value as Record<string, unknown>)
    : undefined;
}

/** Builds the handler for `/api/staff/*` to pass as `HandlerOptions.staff`. */
export function createStaffRoutes(opts: StaffRoutesOptions) {
  const now = opts.now ?? Date.now;
  const startedAt = opts.startedAt ?? now();
  const limit = opts.rateLimit ?? { requests: 120, windowMs: 60_000 };
  const allowExit = opts.allowExit ?? false;
  const limited = createRateLimiter(limit, now);

  const status = async (): Promise<StaffStatus> => ({
    content: opts.live.status(),
    schedule: scheduleOf(opts.schedule?.() ?? { state: 'always-open' }),
    errors: opts.errors.list(20),
    uptimeSeconds: Math.floor((now() - startedAt) / 1000),
    startedAt: new Date(startedAt).toISOString(),
    defaultPin: await opts.auth.usingDefaultPin(),
    actions: { restart: Boolean(opts.actions?.restart), exit: allowExit && Boolean(opts.actions?.exit) },
  });

  const later = (fn: () => void | Promise<void>) =>
    // Answer first, then act: the panel should hear "restarting" before the process goes.
    setTimeout(
      () =>
        void Promise.resolve()
          .then(fn)
          .catch((e) => opts.errors.add('host', String(e))),
      200,
    );

  const route = async (req: Request, url: URL): Promise<Response> => {
    if (!isSameOrigin(req, url)) return json(403, { error: 'Staff routes answer only the kiosk itself' });
    if (limited()) return json(429, { error: 'Too many requests; wait a minute' }, { 'Retry-After': '60' });
    const route = url.pathname.replace(/^\/api\/staff\/?/, '');
    const post = req.method === 'POST';

    // The renderer's own reports about drawing a new version: no PIN, nothing to steal or break.
    if (route === 'applying' || route === 'rendered') {
      if (!post) return methodNotAllowed('POST');
      const body = await readJson(req);
      const version = typeof body?.version === 'string' ? body.version.slice(0, 100) : undefined;
      if (!version) return json(400, { error: 'Send {"version": "..."}' });
      if (route === 'applying') opts.live.rendererApplying(version);
      else opts.live.rendererRendered(version);
      return new Response(null, { status: 204 });
    }

    if (route === 'session') {
      if (req.method === 'DELETE') {
        opts.auth.logout(bearerToken(req));
        return new Response(null, { status: 204 });
      }
      if (!post) return methodNotAllowed('POST, DELETE');
      const body = await readJson(req);
      const result = await opts.auth.login(body?.pin);
      if (!result.ok && result.reason === 'damaged') return json(503, { error: result.message });
      if (result.ok) {
        const session: StaffSession = {
          token: result.token,
          defaultPin: result.defaultPin,
          idleMs: result.idleMs,
        };
        return json(200, session);
      }
      if (result.reason === 'locked') {
        const seconds = Math.ceil(result.retryAfterMs / 1000);
        return json(
          429,
          { error: `Too many wrong PINs; try again in ${seconds} s`, retryAfterSeconds: seconds },
          { 'Retry-After': String(seconds) },
        );
      }
      if (result.reason === 'wrong')
        return json(401, { error: 'Wrong PIN', attemptsLeft: result.attemptsLeft });
      return json(400, { error: 'Send {"pin": "1234"}' });
    }

    // A status poll does not count as a staff touch: the panel locks a minute after the last real one.
    const refused = staffRefusal(opts.auth, req, {
      touch: route !== 'status',
      firstRunMay: route === 'pin' || route === 'keepalive',
    });
    if (refused) return refused;

    switch (route) {
      case 'status':
        return req.method === 'GET' ? json(200, await status()) : methodNotAllowed('GET');
      case 'keepalive':
        return post ? new Response(null, { status: 204 }) : methodNotAllowed('POST');
      case 'apply-inbox': {
        if (!post) return methodNotAllowed('POST');
        if (!opts.live.status().inbox) return json(409, { error: 'No inbox folder is configured' });
        const events = await opts.live.applyFromInbox();
        const answer: ApplyInboxAnswer = {
          events: events.map((e) => ({ kind: e.kind, name: e.name })),
          // What it really did, in one sentence for the panel ("Nothing new in the inbox.", "Refused x.zip: …").
          result: events.result,
          ...(await status()),
        };
        return json(200, answer);
      }
      case 'rollback': {
        if (!post) return methodNotAllowed('POST');
        try {
          const { version, from, result } = await opts.live.rollback();
          const answer: RollbackAnswer = { version, from, result, ...(await status()) };
          return json(200, answer);
        } catch (err) {
          return json(409, { error: err instanceof Error ? err.message : String(err) });
        }
      }
      case 'reload':
        if (!post) return methodNotAllowed('POST');
        await opts.live.poll();
        return json(200, await status());
      case 'pin': {
        if (!post) return methodNotAllowed('POST');
        const body = await readJson(req);
        const result = await opts.auth.changePin(body?.current, body?.next);
        if (result.ok) return json(200, { ok: true });
        switch (result.reason) {
          case 'locked': {
            const seconds = Math.ceil(result.retryAfterMs / 1000);
            return json(
              429,
              { error: result.message, retryAfterSeconds: seconds },
              { 'Retry-After': String(seconds) },
            );
          }
          case 'wrong':
            return json(400, { error: result.message, attemptsLeft: result.attemptsLeft });
          case 'damaged':
          case 'unsaved':
            return json(503, { error: result.message });
          default:
            return json(400, { error: result.message });
        }
      }
      case 'restart':
      case 'exit': {
        if (!post) return methodNotAllowed('POST');
        if (route === 'exit' && !allowExit) {
          return json(403, {
            error:
              'Leaving kiosk mode is off on this kiosk; a technician can allow it with "allowExit": true in config.json',
          });
        }
        const action = opts.actions?.[route];
        if (!action) return json(501, { error: `This host cannot ${route} from the panel` });
        opts.auth.logout(bearerToken(req));
        later(action);
        return json(202, { ok: true });
      }
      default:
        return notFound('No such staff route');
    }
  };

  return async (req: Request, url: URL): Promise<Response> => {
    try {
      return await route(req, url);
    } catch (err) {
      if (err instanceof BodyTooLarge)
        return json(413, { error: `Staff requests are limited to ${MAX_STAFF_BODY} bytes` });
      throw err;
    }
  };
}
