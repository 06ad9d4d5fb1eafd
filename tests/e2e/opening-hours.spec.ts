/**
 * Opening hours in real Chromium: a kiosk whose exhibit opens Mondays at
 * 09:00 UTC, on a host clock set to Monday 08:00. Closed, the screen is black
 * at both orientations, nothing animates (no requestAnimationFrame callback)
 * and nothing is fetched; a touch shows only the dim opening time; the staff
 * status says "scheduled-off". At 09:00 the host tells the page over the event
 * stream and the attract loop starts.
 *
 * The page keeps no clock of its own for the schedule (the host says each
 * change), so only the host's clock is moved, through `tuning.scheduleNow`.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { startPreview, type Preview } from '../../main/cli/preview.js';
import type { StaffStatus } from '../../main/contract/staff.js';
import { ORIENTATIONS } from './kiosk-fixture.js';
import { tap, tapOn } from './touch.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** Monday 30 November 2026, an hour before opening. */
const MONDAY_8AM = Date.parse('2026-11-30T08:00:00Z');

interface Fixtures {
  /** The host's clock: real time, shifted to a chosen instant. */
  clock: { set(ms: number): void; now(): number };
  kiosk: Preview;
}

const test = base.extend<Fixtures>({
  clock: async ({}, use) => {
    let offset = 0;
    await use({
      set: (ms) => {
        offset = ms - Date.now();
      },
      now: () => Date.now() + offset,
    });
  },
  kiosk: async ({ clock }, use) => {
    const work = await mkdtemp(path.join(os.tmpdir(), 'vitrine-hours-e2e-'));
    const content = path.join(work, 'content');
    await cp(path.join(root, 'assets', 'exhibit'), content, { recursive: true });
    const file = path.join(content, 'exhibit.yaml');
    const yaml = await readFile(file, 'utf8');
    const hours = [
      '  openingHours:',
      '    timeZone: UTC',
      '    weekly:',
      '      mon: [09:00-18:00]',
      '    closed: [2026-12-25]',
      '',
    ].join('\n');
    await writeFile(file, yaml.replace('  languages: [en, ru]\n', `  languages: [en, ru]\n${hours}`));
    clock.set(MONDAY_8AM);
    const kiosk = await startPreview({
      port: 0,
      contentDir: content,
      open: false,
      build: false,
      watch: false,
      quiet: true,
      live: {
        actions: {},
        userData: path.join(work, 'user'),
        env: { VITRINE_CONTENT_STORE: path.join(work, 'store') },
        tuning: { scheduleNow: clock.now },
      },
    });
    await use(kiosk);
    await kiosk.close();
    await rm(work, { recursive: true, force: true });
  },
});

test.use({ viewport: ORIENTATIONS.landscape, hasTouch: true });

/** Counts the requestAnimationFrame and timer callbacks the page runs, from before its first script. */
const COUNT_FRAMES = () => {
  const w = window as unknown as { __frames: number; __timers: number };
  w.__frames = 0;
  w.__timers = 0;
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (cb) =>
    raf((t) => {
      w.__frames++;
      cb(t);
    });
  for (const name of ['setTimeout', 'setInterval'] as const) {
    const original = window[name].bind(window) as (fn: () => void, ms?: number) => number;
    (window as unknown as Record<string, unknown>)[name] = (fn: unknown, ms?: number, ...args: unknown[]) =>
      original(() => {
        w.__timers++;
        if (typeof fn === 'function') (fn as (...a: unknown[]) => void)(...args);
      }, ms);
  }
};

/**
 * Records, from before the page's first byte is parsed, every element of the visitor screens that
 * ever enters the page: the masthead the host writes, the attract loop, any picture.
 */
const WATCH_SCREENS = () => {
  const seen: string[] = [];
  (window as unknown as { __seen: string[] }).__seen = seen;
  const wanted = '.first-screen-shell, [data-testid="attract"], img';
  new MutationObserver((records) => {
    for (const record of records)
      for (const node of record.addedNodes) {
        if (!(node instanceof Element)) continue;
        for (const el of [node, ...node.querySelectorAll(wanted)])
          if (el.matches(wanted)) seen.push(el.getAttribute('data-testid') ?? el.className ?? el.tagName);
      }
  }).observe(document, { childList: true, subtree: true });
};

/** The callbacks counted so far. */
const counts = (page: Page) =>
  page.evaluate(() => {
    const w = window as unknown as { __frames: number; __timers: number };
    return { frames: w.__frames, timers: w.__timers };
  });

/** The share of pixels in a screenshot that are black (every channel below 8). */
async function blackShare(png: Buffer): Promise<number> {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  let black = 0;
  for (let i = 0; i < data.length; i += info.channels) {
    if (data[i]! < 8 && data[i + 1]! < 8 && data[i + 2]! < 8) black++;
  }
  return black / (info.width * info.height);
}

/** The staff status, signed in as staff would be (first-run PIN changed first). */
async function staffStatus(page: Page): Promise<StaffStatus> {
  return page.evaluate(async () => {
    const post = (route: string, body: unknown, token?: string) =>
      fetch(`api/staff/${route}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      });
    let res = await post('session', { pin: '2468' });
    if (!res.ok) {
      const first = (await (await post('session', { pin: '1945' })).json()) as { token: string };
      await post('pin', { current: '1945', next: '2468' }, first.token);
      res = await post('session', { pin: '2468' });
    }
    const { token } = (await res.json()) as { token: string };
    const status = await fetch('api/staff/status', { headers: { authorization: `Bearer ${token}` } });
    return (await status.json()) as StaffStatus;
  });
}

test('outside opening hours the screen is black and still, and the attract loop starts at opening', async ({
  page,
  kiosk,
  clock,
}, testInfo) => {
  const shots = testInfo.outputPath('shots');
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript(COUNT_FRAMES);
  await page.goto(kiosk.url);

  await expect(page.getByTestId('closed-screen')).toBeVisible();
  await expect(page.getByTestId('attract')).toHaveCount(0);
  // Nothing of the visitor screens or the dock is left to draw or to touch.
  await expect(page.locator('button')).toHaveCount(0);

  const status = await staffStatus(page);
  expect(status.schedule).toEqual({ state: 'scheduled-off', nextChange: '2026-11-30T09:00:00.000Z' });

  // Let the start settle (fonts, the first frames), then watch two quiet seconds.
  await page.waitForTimeout(1000);
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  const before = await counts(page);
  await page.waitForTimeout(2000);
  const after = await counts(page);
  expect(after.frames - before.frames, 'animation frames while closed').toBe(0);
  expect(after.timers - before.timers, 'timer callbacks while closed').toBe(0);
  expect(requests, 'requests while closed').toEqual([]);
  // No CSS animation or transition runs either (the attract loop's slow zoom would).
  expect(await page.evaluate(() => document.getAnimations().length)).toBe(0);

  const landscape = await page.screenshot({ path: path.join(shots, 'closed-1920x1080.png') });
  expect(await blackShare(landscape)).toBeGreaterThan(0.999);
  await page.setViewportSize(ORIENTATIONS.portrait);
  const portrait = await page.screenshot({ path: path.join(shots, 'closed-1080x1920.png') });
  expect(await blackShare(portrait)).toBeGreaterThan(0.999);

  // A touch starts no visit: it shows only the opening time, very dim.
  await tap(page, { x: 540, y: 960 });
  await expect(page.getByTestId('closed-opens-at')).toHaveText('09:00');
  await expect(page.getByTestId('closed-screen')).toBeVisible();
  const touched = await page.screenshot({ path: path.join(shots, 'closed-touched-1080x1920.png') });
  expect(await blackShare(touched)).toBeGreaterThan(0.99);

  // Two seconds before opening; the host's timer opens at 09:00 and tells the page.
  clock.set(Date.parse('2026-11-30T08:59:58Z'));
  kiosk.services!.schedule.check();
  await expect(page.getByTestId('closed-screen')).toBeVisible();
  await expect(page.getByTestId('attract')).toBeVisible({ timeout: 10_000 });
  await expect(page.getByTestId('closed-screen')).toHaveCount(0);
  await page.screenshot({ path: path.join(shots, 'open-1080x1920.png') });
  await page.setViewportSize(ORIENTATIONS.landscape);
  await page.screenshot({ path: path.join(shots, 'open-1920x1080.png') });
  expect((await staffStatus(page)).schedule).toEqual({
    state: 'open',
    nextChange: '2026-11-30T18:00:00.000Z',
  });
  expect(errors).toEqual([]);
});

test('started in closed hours, the first screen is already the black one: no masthead, no attract loop, no picture', async ({
  page,
  kiosk,
}) => {
  const media: string[] = [];
  const failed: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.startsWith('/media/')) media.push(r.url());
  });
  page.on('console', (m) => {
    if (m.type() === 'error') failed.push(m.text());
  });
  page.on('pageerror', (e) => failed.push(e.message));
  page.on('requestfailed', (r) => {
    // The event stream is cut when the page goes, which is not a failure of the page.
    if (!r.url().endsWith('/api/events')) failed.push(`${r.url()}: ${r.failure()?.errorText}`);
  });
  await page.addInitScript(WATCH_SCREENS);
  await page.goto(kiosk.url);
  await expect(page.getByTestId('closed-screen')).toBeVisible();
  // Long enough for the event stream to have connected and said "closed", which was once the
  // first the page knew of it.
  await expect.poll(() => kiosk.services!.schedule.status().state).toBe('scheduled-off');
  await page.waitForTimeout(1500);
  expect(await page.evaluate(() => (window as unknown as { __seen: string[] }).__seen)).toEqual([]);
  expect(media, 'pictures fetched in closed hours').toEqual([]);
  expect(failed, 'console errors and failed requests').toEqual([]);
});

test('closing mid-visit ends the visit and silences the narration', async ({ page, kiosk, clock }) => {
  clock.set(Date.parse('2026-11-30T17:00:00Z'));
  await page.goto(kiosk.url);
  await expect(page.getByTestId('attract')).toBeVisible();
  await tap(page, { x: 960, y: 540 });
  await tapOn(page, '[data-testid=chapter-card] >> nth=0');
  await expect(page.getByTestId('listen')).toBeVisible();
  await tapOn(page, '[data-testid=listen]');
  // Howler puts itself on window: the narration is really playing before the doors close.
  const playing = () => page.evaluate(() => (window as any).Howler._howls.some((h: any) => h.playing()));
  await expect.poll(playing, { timeout: 15_000 }).toBe(true);

  clock.set(Date.parse('2026-11-30T18:00:01Z'));
  kiosk.services!.schedule.check();
  await expect(page.getByTestId('closed-screen')).toBeVisible();
  expect(await playing(), 'a sound still playing once closed').toBe(false);
  await page.waitForTimeout(1000);
  expect(await playing(), 'a sound playing a second after closing').toBe(false);
});
