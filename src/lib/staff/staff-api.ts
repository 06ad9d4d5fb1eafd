/**
 * The staff panel's calls to `/api/staff/*`. The session token lives only in
 * memory: a reload or the auto-lock forgets it.
 */

import type {
  ApplyInboxAnswer,
  RollbackAnswer,
  StaffActionResult,
  StaffSession,
  StaffStatus,
} from '../../../main/contract/staff.js';
import type { VisitExportResult, VisitReport } from '../../../main/contract/visits.js';
import { pageKeyHeaders } from '../page-key.js';

export type { ApplyInboxAnswer, RollbackAnswer, StaffActionResult, StaffStatus };

/** The outcome of a call: the JSON body, or an error message to show. */
export type Result<T> =
  | { ok: true; value: T; status: number }
  | { ok: false; status: number; error: string; body?: Record<string, unknown> };

let token: string | undefined;

async function call<T>(method: string, route: string, body?: unknown): Promise<Result<T>> {
  let res: Response;
  try {
    res = await fetch(`api/staff/${route}`, {
      method,
      cache: 'no-store',
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        // The host takes the page's own applying/rendered reports only with its key.
        ...pageKeyHeaders(),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    return { ok: false, status: 0, error: `The kiosk's host did not answer (${String(err)})` };
  }
  const text = await res.text().catch(() => '');
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: handled below.
  }
  if (!res.ok) {
    const error = (json as { error?: string } | undefined)?.error ?? `HTTP ${res.status}`;
    return { ok: false, status: res.status, error, body: json as Record<string, unknown> | undefined };
  }
  return { ok: true, status: res.status, value: json as T };
}

/** Signs in with the PIN; keeps the token for the calls that follow. */
export async function signIn(pin: string): Promise<Result<StaffSession>> {
  const r = await call<StaffSession>('POST', 'session', { pin });
  if (r.ok) token = r.value.token;
  return r;
}

/** Ends the session on the host and forgets the token. */
export function signOut(): void {
  if (token) void call('DELETE', 'session');
  token = undefined;
}

export const getStatus = () => call<StaffStatus>('GET', 'status');
export const keepAlive = () => call<void>('POST', 'keepalive');
/** Takes what is in the inbox now; the answer's `result` says what that did. */
export const applyInbox = () => call<ApplyInboxAnswer>('POST', 'apply-inbox');
/** Makes the previous version current; the answer's `result` says which. */
export const rollback = () => call<RollbackAnswer>('POST', 'rollback');
export const reloadContent = () => call<StaffStatus>('POST', 'reload');
export const restart = () => call<{ ok: true }>('POST', 'restart');
export const exitKiosk = () => call<{ ok: true }>('POST', 'exit');
export const changePin = (current: string, next: string) =>
  call<{ ok: true }>('POST', 'pin', { current, next });
export const getVisits = (days: number) => call<VisitReport>('GET', `visits?days=${days}`);
export const exportVisits = (days: number, to?: string) =>
  call<VisitExportResult>('POST', 'visits/export', { days, ...(to ? { to } : {}) });

/** Tells the host the renderer starts drawing `version` (no token needed). */
export function reportApplying(version: string): Promise<unknown> {
  return call('POST', 'applying', { version });
}

/** Tells the host `version` was drawn without error (no token needed). */
export function reportRendered(version: string): Promise<unknown> {
  return call('POST', 'rendered', { version });
}
