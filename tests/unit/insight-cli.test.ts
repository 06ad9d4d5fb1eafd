import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../main/cli/insight.js';
import type { VisitSummary } from '../../main/contract/visits.js';
import { HISTORY_FILE } from '../../main/insight/content-history.js';
import { openInsight } from '../../main/insight/insight.js';

const visit: VisitSummary = {
  seconds: 130,
  chapters: { prologue: 60 },
  furthest: 0,
  extras: ['timeline'],
  lang: 'ru',
  narrationStarted: 1,
  narrationFinished: 1,
  access: [],
  zooms: 0,
  ended: 'idle',
};

async function kiosk() {
  const userData = await mkdtemp(path.join(os.tmpdir(), 'vitrine-insight-cli-'));
  const insight = await openInsight({ userData, log: () => {} });
  for (let i = 0; i < 3; i++) insight.recordVisit(visit);
  await insight.flush();
  await insight.onScreen({ version: 'v1', contentVersion: '1', source: '/exhibit', action: 'apply' });
  await insight.onScreen({ version: 'v2', contentVersion: '2', source: 'inbox /usb/x.zip', action: 'apply' });
  return userData;
}

describe('npm run insight', () => {
  it('prints the tables of a kiosk and writes them as CSV', async () => {
    const userData = await kiosk();
    const lines: string[] = [];
    const csv = path.join(userData, 'out');
    expect(await main(['--user-data', userData, '--csv', csv], (l) => lines.push(l))).toBe(0);
    const text = lines.join('\n');
    expect(text).toMatch(/^visits\s+3$/m);
    expect(text).toMatch(/^2-5 min\s+3$/m);
    expect(text).toMatch(/^ru\s+3$/m);
    expect(text).toMatch(/^timeline\s+3$/m);
    expect(text).toMatch(/inbox\s+inbox \/usb\/x\.zip$/m);
    expect(text).toContain('2 entries, chain whole');
    expect((await readdir(csv)).length).toBe(9);
    expect(await readFile(path.join(csv, 'languages.csv'), 'utf8')).toBe('language,visits\r\nru,3\r\n');
  });

  it('says so, and fails, when the content history was edited', async () => {
    const userData = await kiosk();
    const file = path.join(userData, 'insight', HISTORY_FILE);
    await writeFile(file, (await readFile(file, 'utf8')).replace('"v1"', '"v0"'));
    const lines: string[] = [];
    expect(await main(['--user-data', userData], (l) => lines.push(l))).toBe(1);
    expect(lines.join('\n')).toContain('BROKEN at line 2');
  });

  it('refuses a day it cannot read', async () => {
    const lines: string[] = [];
    expect(await main(['--since', 'last week'], (l) => lines.push(l))).toBe(2);
    expect(lines[0]).toContain('2026-03-01');
  });
});
