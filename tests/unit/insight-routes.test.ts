import { mkdir, mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { VisitReport, VisitSummary } from '../../main/contract/visits.js';
import { createVisitRoutes } from '../../main/handler/visits.js';
import { openInsight } from '../../main/insight/insight.js';
import type { StaffAuth } from '../../main/staff/auth.js';

const TOKEN = 'a'.repeat(64);
const auth = {
  session: (t: string | undefined) => (t === TOKEN ? 'staff' : 'none'),
} as unknown as StaffAuth;

const summary: VisitSummary = {
  seconds: 42,
  chapters: { one: 30 },
  furthest: 0,
  extras: [],
  lang: 'en',
  narrationStarted: 0,
  narrationFinished: 0,
  access: [],
  zooms: 0,
  ended: 'idle',
};

async function setup(counting = true) {
  const userData = await mkdtemp(path.join(os.tmpdir(), 'vitrine-visits-'));
  const inbox = path.join(userData, 'inbox');
  await mkdir(inbox);
  const insight = await openInsight({ userData, counting, log: () => {} });
  const routes = createVisitRoutes({
    insight,
    auth,
    chapters: () => [{ id: 'one', title: 'One' }],
    inbox: () => inbox,
    exportRoots: [],
  });
  const call = (p: string, init: RequestInit & { site?: string } = {}) => {
    const url = new URL(`http://127.0.0.1:4173${p}`);
    const headers = new Headers(init.headers);
    headers.set('sec-fetch-site', init.site ?? 'same-origin');
    return routes(new Request(url, { ...init, headers }), url);
  };
  const post = (body: unknown, site?: string) =>
    call('/api/visits', { method: 'POST', body: JSON.stringify(body), site });
  const staff = { Authorization: `Bearer ${TOKEN}` };
  return { userData, inbox, insight, call, post, staff };
}

describe('visit routes', () => {
  it('counts a posted visit and shows it to staff only', async () => {
    const k = await setup();
    for (let i = 0; i < 3; i++) expect((await k.post(summary)).status).toBe(204);
    expect((await k.call('/api/staff/visits?days=7')).status).toBe(401);
    const res = await k.call('/api/staff/visits?days=7', { headers: k.staff });
    const report = (await res.json()) as VisitReport;
    expect(report.hours.at(-1)?.visits).toBe(3);
    expect(report.hours.at(-1)?.detail?.chapters.one).toEqual({ opened: 3, seconds: 90 });
  });

  it('refuses another site, and a body that is not a summary', async () => {
    const k = await setup();
    expect((await k.post(summary, 'cross-site')).status).toBe(403);
    expect((await k.post({ ...summary, visitor: 'x' })).status).toBe(400);
    expect(k.insight.hours(0)).toEqual([]);
  });

  it('answers 204 and stores nothing when counting is off', async () => {
    const k = await setup(false);
    expect((await k.post(summary)).status).toBe(204);
    expect(k.insight.hours(0)).toEqual([]);
    expect(await readdir(path.join(k.userData, 'insight'))).not.toContain('visits.json');
  });

  it('writes the CSV tables into the inbox, and nowhere outside the allowed folders', async () => {
    const k = await setup();
    for (let i = 0; i < 3; i++) await k.post(summary);
    const outside = await k.call('/api/staff/visits/export', {
      method: 'POST',
      headers: k.staff,
      body: JSON.stringify({ to: os.tmpdir() }),
    });
    expect(outside.status).toBe(400);
    const res = await k.call('/api/staff/visits/export', { method: 'POST', headers: k.staff, body: '{}' });
    const { dir, files } = (await res.json()) as { dir: string; files: string[] };
    expect(path.dirname(dir)).toBe(await import('node:fs/promises').then((f) => f.realpath(k.inbox)));
    expect(files).toContain('chapters.csv');
    expect(files).toContain('content-history.csv');
    const chapters = await readFile(path.join(dir, 'chapters.csv'), 'utf8');
    expect(chapters.split('\r\n')[1]).toBe('1,one,One,3,3,100,1.5');
  });
});
