/** The JSON routes: the exhibit, health, and renderer error reports. */
import type { ContentSource } from '../content/source.js';
import type { Exhibit, Settings } from '../content/schema.js';
import type { ExhibitPayload, HostFeatures } from '../contract/exhibit.js';
import type { RendererLogEntry } from '../contract/staff.js';
import { BodyTooLarge } from './body.js';
import { readJsonBody, type JsonBody } from './guards.js';
import { json } from './responses.js';

export type { RendererLogEntry };

/** Settings the CLI flags (or the Electron host) may override for this run. */
export type SettingsOverrides = Partial<
  Pick<Settings, 'idleSeconds' | 'attractSecondsPerSlide' | 'countdownSeconds'>
>;

/** Returns the exhibit with `overrides` applied to its settings (undefined values ignored). */
function applyOverrides(exhibit: Exhibit, overrides: SettingsOverrides = {}): Exhibit {
  const set = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  if (Object.keys(set).length === 0) return exhibit;
  return { ...exhibit, settings: { ...exhibit.settings, ...set } };
}

/**
 * What `GET /api/exhibit` answers with the last good version (problems are
 * those of the latest load, so an editor sees why an edit did not show), or
 * undefined when there has never been valid content.
 */
export function exhibitPayload(
  source: ContentSource,
  overrides?: SettingsOverrides,
  host?: HostFeatures,
): ExhibitPayload | undefined {
  const snap = source.current();
  if (!snap) return undefined;
  return {
    version: snap.version,
    exhibit: applyOverrides(snap.exhibit, overrides),
    problems: source.problems(),
    host,
  };
}

/**
 * `GET /api/exhibit`: `200 {version, exhibit, problems}` ({@link exhibitPayload}),
 * or `503 {problems}` when there has never been valid content.
 */
export function exhibitResponse(
  source: ContentSource,
  overrides?: SettingsOverrides,
  host?: HostFeatures,
): Response {
  const payload = exhibitPayload(source, overrides, host);
  return payload ? json(200, payload) : json(503, { problems: source.problems() });
}

/** `GET /api/health`: whether valid content is being shown, which version, and for how long the host has run. */
export function healthResponse(source: ContentSource, startedAt: number, now: number): Response {
  const snap = source.current();
  return json(200, {
    ok: snap !== undefined,
    version: snap?.version ?? null,
    uptimeSeconds: Math.floor((now - startedAt) / 1000),
  });
}

/** Largest accepted `POST /api/log` body. */
export const MAX_LOG_BYTES = 16 * 1024;

/** The body as JSON, or the size refusal; at most `limit` bytes are ever buffered. */
async function readLimited(req: Request, limit: number): Promise<JsonBody | BodyTooLarge> {
  try {
    return await readJsonBody(req, limit);
  } catch (err) {
    if (err instanceof BodyTooLarge) return err;
    throw err;
  }
}

const clean = (v: unknown, max: number) =>
  typeof v === 'string' ? v.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '?').slice(0, max) : undefined;

// Every optional text field of the contract's entry with its longest kept length: a field added
// to the contract does not compile here until the host knows how much of it to keep.
const LOG_FIELD_LIMITS = { kind: 100, stack: 8000, detail: 4000, url: 500 } satisfies Record<
  Exclude<keyof RendererLogEntry, 'level' | 'message'>,
  number
>;

/**
 * `POST /api/log`: validates a renderer report and hands it to `onLog`,
 * reading exactly the contract's fields.
 */
export async function logRoute(req: Request, onLog: (entry: RendererLogEntry) => void): Promise<Response> {
  const read = await readLimited(req, MAX_LOG_BYTES);
  if (read instanceof BodyTooLarge)
    return json(413, { error: `Log reports are limited to ${MAX_LOG_BYTES} bytes` });
  if (!read.ok)
    return read.reason === 'broken'
      ? json(400, { error: 'The report broke off; send it again' })
      : json(400, { error: 'Send a JSON object: {"level": "error", "message": "..."}' });
  const body = read.value as Record<string, unknown>;
  const message = clean(body?.message, 2000);
  if (!message) return json(400, { error: 'A log report needs a "message" string' });
  const level = body.level === 'warn' || body.level === 'info' ? body.level : 'error';
  const optional = Object.fromEntries(
    Object.entries(LOG_FIELD_LIMITS).map(([field, max]) => [field, clean(body[field], max)]),
  ) as Pick<RendererLogEntry, keyof typeof LOG_FIELD_LIMITS>;
  onLog({ level, message, ...optional });
  return new Response(null, { status: 204 });
}

/** Writes a renderer report to stderr on one line. */
export function defaultLog(entry: RendererLogEntry): void {
  const kind = entry.kind ? ` ${entry.kind}` : '';
  process.stderr.write(`[renderer ${entry.level}${kind}] ${entry.message.replace(/\n/g, ' ')}\n`);
}
