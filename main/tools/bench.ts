/**
 * `npm run bench [-- --quick] [-- --out FILE]`: measures the kiosk against a
 * peer, the same chapters as a looping reveal.js deck, in real Chromium with
 * a 4x CPU throttle at 1920x1080, and writes docs/BENCHMARKS.md. Both run on
 * the same machine in the same run, at the same pace, with the same pictures:
 * scan-like 24 MP JPEGs made at bench time and put through `content build`
 * (`bench-scans.ts`). Budgets are checked here, not in timed tests, because
 * timings on a shared machine are too noisy to gate a build on.
 *
 * Rows, for both: first contentful paint; cold start to the first attract
 * slide painted; JS loaded during the visit (gzip); frame p99 and share of
 * frames over 25 ms while the loop advances by itself; swipe Event Timing p95;
 * heap growth over 60 s untouched after forced GC. The kiosk alone: initial
 * JS, tap to next paint, tap (instant, and held as a finger holds it) to the
 * new chapter's first frame, frames in chapter turns, the attract loop at the
 * exhibit's own pace, panning the viewer at full zoom, and pinching and panning the map.
 *
 * `--quick` shortens every phase to smoke-test the machinery (its numbers
 * mean nothing) and writes to a temporary file unless `--out` is given.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import { findSystemBrowser } from '../cli/find-browser.js';
import { startPreview } from '../cli/preview.js';
import { ensureMainBuilt } from '../cli/start.js';
import { buildPeerDeck, serveStatic } from './bench-peer.js';
import { measureKioskStart, type KioskStart } from './bench-kiosk-start.js';
import { makeScanExhibit, SCAN_SIZE } from './bench-scans.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const rendererDir = path.join(root, 'dist/renderer');

/**
 * The speed and size budgets: first-load script (gzip), tap to next paint (p95)
 * and frame time (p99), measured under a 4x CPU throttle.
 */
export const BUDGETS = {
  initialJsGzipBytes: 60 * 1024,
  tapToPaintP95Ms: 100,
  frameP99Ms: 25,
  /** A frame longer than this is a visible stutter at 60 Hz (a dropped frame and a half). */
  longFrameMs: 25,
  /** From starting to the first attract frame: the page's cold start, and `npm start`'s. */
  firstAttractFrameMs: 1000,
} as const;

/** A budget's verdict, as the report writes it. */
const ok = (pass: boolean) => (pass ? 'within budget' : '**over budget**');

/** Share of `frames` (intervals, ms) longer than {@link BUDGETS.longFrameMs}, in percent. */
export function longFrameShare(frames: readonly number[]): number {
  if (frames.length === 0) return Number.NaN;
  return (100 * frames.filter((f) => f > BUDGETS.longFrameMs).length) / frames.length;
}

/** The value at quantile q (0..1) of a sample, by nearest rank. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

/** Scripts index.html loads before first paint: module entry and modulepreloads. */
export function initialScripts(indexHtml: string): string[] {
  const out: string[] = [];
  for (const m of indexHtml.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)) out.push(m[1]!);
  for (const m of indexHtml.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)) out.push(m[1]!);
  return [...new Set(out)];
}

function gzipSizeOf(rel: string): number {
  return gzipSync(readFileSync(path.join(rendererDir, rel.replace(/^\.?\//, ''))), { level: 9 }).length;
}

async function touchTap(cdp: CDPSession, x: number, y: number, holdMs = 0): Promise<void> {
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
  if (holdMs > 0) await new Promise((r) => setTimeout(r, holdMs));
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

/** How long a finger rests on a button in an ordinary tap. */
const FINGER_TAP_MS = 100;

async function touchSwipe(cdp: CDPSession, from: [number, number], to: [number, number], steps = 8) {
  await cdp.send('Input.dispatchTouchEvent', {
    type: 'touchStart',
    touchPoints: [{ x: from[0], y: from[1] }],
  });
  for (let i = 1; i <= steps; i++) {
    const x = from[0] + ((to[0] - from[0]) * i) / steps;
    const y = from[1] + ((to[1] - from[1]) * i) / steps;
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y }] });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

/** Starts recording rAF intervals in the page; returns a function that stops and collects them. */
// Page scripts are passed as strings: tsx (esbuild) would wrap named inner
// functions in a `__name` helper that does not exist inside the page.
const START_FRAMES = `(() => {
  window.__frames = [];
  window.__framesOn = true;
  let last = performance.now();
  const tick = (t) => {
    if (!window.__framesOn) return;
    window.__frames.push(t - last);
    last = t;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame((t) => { last = t; requestAnimationFrame(tick); });
})()`;

const OBSERVE_TAPS = `(() => {
  window.__taps = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.name === 'pointerup' || e.name === 'click' || e.name === 'pointerdown') window.__taps.push(e.duration);
    }
  }).observe({ type: 'event', durationThreshold: 16, buffered: false });
  // From the finger lifting to the frame that first draws the new chapter's page: the frame after
  // the page on screen (not sliding away, carrying data-testid="chapter") becomes another element,
  // whether built then or built ahead during the press; __ahead says which, per turn.
  window.__turns = [];
  window.__ahead = [];
  const stage = document.querySelector('[data-testid="stage"]');
  const shown = () => stage.querySelector('.page:not([data-leaving]) [data-testid="chapter"]')?.closest('.page') ?? null;
  let lifted = null;
  addEventListener('pointerup', (e) => {
    lifted = { at: e.timeStamp, page: shown(), built: new Set(stage.querySelectorAll('.page')) };
  }, { capture: true });
  new MutationObserver(() => {
    const now = lifted && shown();
    if (!now || now === lifted.page) return;
    const from = lifted;
    lifted = null;
    window.__ahead.push(from.built.has(now));
    requestAnimationFrame((t) => window.__turns.push(t - from.at));
  }).observe(stage, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-testid'] });
})()`;

/** Starts recording rAF intervals in the page; returns a function that stops and collects them. */
async function recordFrames(page: Page): Promise<() => Promise<number[]>> {
  await page.evaluate(START_FRAMES);
  return () =>
    page.evaluate('(() => { window.__framesOn = false; return window.__frames; })()') as Promise<number[]>;
}

async function centreOf(page: Page, selector: string): Promise<[number, number]> {
  const box = await page.locator(selector).first().boundingBox();
  if (!box) throw new Error(`bench: ${selector} is not on screen`);
  return [box.x + box.width / 2, box.y + box.height / 2];
}

/** The seconds per slide both loops advance at in the side-by-side rows. */
export const PACE_SECONDS = 2;

/** How long each phase runs: the real bench, or `--quick` to smoke-test the machinery. */
export interface Plan {
  quick: boolean;
  scan: { width: number; height: number };
  /** Seconds of self-advancing loop recorded for the side-by-side frame rows. */
  advanceSeconds: number;
  /** Slides of the kiosk's loop at the exhibit's own pace (0: one whole loop). */
  ownPaceSlides: number;
  swipes: number;
  taps: number;
  untouchedSeconds: number;
  /** One-finger pans across the viewer at full zoom. */
  pans: number;
  /** Timed `npm start` runs after the first (which installs the exhibit). */
  kioskStarts: number;
  /** Cold loads of each side for the start rows, taken in alternating pairs. */
  coldLoads: number;
}

/** The plan for a full run, or a few seconds of each phase with `quick`. */
export function plan(quick: boolean): Plan {
  return quick
    ? {
        quick,
        scan: { width: 1500, height: 1000 },
        advanceSeconds: 6,
        ownPaceSlides: 2,
        swipes: 4,
        taps: 3,
        untouchedSeconds: 5,
        pans: 2,
        kioskStarts: 1,
        coldLoads: 1,
      }
    : {
        quick,
        scan: SCAN_SIZE,
        advanceSeconds: 60,
        ownPaceSlides: 0,
        swipes: 30,
        taps: 30,
        untouchedSeconds: 60,
        pans: 12,
        kioskStarts: 5,
        coldLoads: 7,
      };
}

/** The side-by-side measures, one set per contestant. */
export interface Side {
  fcpMs: number;
  /** Navigation start to the first animation frame after the first slide (and its picture) is ready. */
  firstSlideMs: number;
  /** Every script fetched during the visit, gzip level 9. */
  jsGzipBytes: number;
  jsFiles: { url: string; gzip: number }[];
  /** rAF intervals while the loop advances by itself at {@link PACE_SECONDS}. */
  advanceFrames: number[];
  /** The longest Event Timing entry per swipe (16 when none passed the 16 ms threshold). */
  swipes: number[];
  /** rAF intervals during the swipes. */
  swipeFrames: number[];
  /** JS heap used after forced GC, before and after the untouched wait. */
  heapBefore: number;
  heapAfter: number;
}

/** The kiosk's own rows. */
export interface KioskOnly {
  initialJs: { files: { file: string; gzip: number }[]; total: number };
  taps: number[];
  turns: number[];
  /** Taps held {@link FINGER_TAP_MS}: lift to the new chapter's first frame, and whether its page was built before the lift. */
  fingerTurns: number[];
  fingerAhead: boolean[];
  ownPace: { seconds: number; slides: number; frames: number[] };
  viewer: { scale: number; frames: number[] };
  /** Pinching the campaign map in, then panning it with one finger. */
  map: { scale: number; frames: number[] };
}

/** Everything one run measured. */
export interface Result {
  plan: Plan;
  machine: { cpu: string; cores: number; chromium: string; node: string; platform: string };
  date: string;
  scans: { count: number; width: number; height: number; megabytes: number };
  vitrine: Side;
  peer: Side;
  peerSlides: number;
  kiosk: KioskOnly;
  /** `npm start` timed to the kiosk's "first screen drawn" log line (./bench-kiosk-start.ts). */
  kioskStart: KioskStart;
}

/** Ready when the kiosk's first attract slide is in and every picture in it has decoded. */
const VITRINE_FIRST_SLIDE = `(() => {
  const s = document.querySelector('[data-testid="attract-slide"]');
  return !!s && [...s.querySelectorAll('img')].every((i) => i.complete && i.naturalWidth > 0);
})()`;

/** Ready when reveal.js has laid out its first slide (`.reveal.ready`) and its background has loaded. */
const PEER_FIRST_SLIDE = `(() => {
  if (!document.querySelector('.reveal.ready .slides section.present')) return false;
  return [...document.images].every((i) => i.complete);
})()`;

/** Polls `ready` on every animation frame from the start; records the frame after it first holds. */
const firstFrameProbe = (ready: string) => `(() => {
  window.__firstSlide = undefined;
  const poll = () => {
    let ok = false;
    try { ok = ${ready}; } catch {}
    if (ok) requestAnimationFrame((t) => (window.__firstSlide = t));
    else requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
})()`;

/** Records the longest Event Timing entry of every input event, for swipes. */
const OBSERVE_INPUT = `(() => {
  window.__input = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__input.push({ name: e.name, duration: e.duration, at: e.startTime });
  }).observe({ type: 'event', durationThreshold: 16, buffered: false });
})()`;

async function heapAfterGc(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize;
}

/** Swipes `count` times across `y`, alternating direction; returns the longest input entry of each. */
async function swipeRun(
  page: Page,
  cdp: CDPSession,
  count: number,
  y: number,
): Promise<{ swipes: number[]; frames: number[] }> {
  await page.evaluate(OBSERVE_INPUT);
  const stop = await recordFrames(page);
  const swipes: number[] = [];
  for (let i = 0; i < count; i++) {
    const before = (await page.evaluate('window.__input.length')) as number;
    const dir = i % 2 === 0 ? -1 : 1;
    await touchSwipe(cdp, [960 - dir * 500, y], [960 + dir * 500, y]);
    await page.waitForTimeout(800);
    const entries = (await page.evaluate(
      `window.__input.slice(${before}).map((e) => e.duration)`,
    )) as number[];
    swipes.push(entries.length ? Math.max(...entries) : 16);
  }
  return { swipes, frames: (await stop()).slice(2) };
}

/** A two-finger spread from `from` px apart to `to` px apart around `c`. */
async function touchPinch(cdp: CDPSession, c: [number, number], from: number, to: number, steps = 12) {
  const pts = (d: number) => [
    { x: c[0] - d / 2, y: c[1], id: 1 },
    { x: c[0] + d / 2, y: c[1], id: 2 },
  ];
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: pts(from) });
  for (let i = 1; i <= steps; i++) {
    await cdp.send('Input.dispatchTouchEvent', {
      type: 'touchMove',
      touchPoints: pts(from + ((to - from) * i) / steps),
    });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

/** The campaign map, once drawn, pinched in twice and then panned back and forth `pans` times. */
async function panMap(page: Page, cdp: CDPSession, pans: number): Promise<KioskOnly['map']> {
  const stage = 'section[data-screen="map"] .stage';
  await page.locator('section[data-screen="map"] path.land').first().waitFor({ state: 'attached' });
  await page.waitForTimeout(1000);
  const centre = await centreOf(page, stage);
  await touchPinch(cdp, centre, 100, 500);
  await touchPinch(cdp, centre, 100, 500);
  await page.waitForTimeout(1000);
  const scale = Number(await page.locator(stage).getAttribute('data-scale'));
  return { scale, frames: await panFrames(page, cdp, centre, pans) };
}

/** Frames while one finger pans back and forth diagonally across `centre`, `pans` times. */
async function panFrames(page: Page, cdp: CDPSession, centre: [number, number], pans: number) {
  const stop = await recordFrames(page);
  for (let i = 0; i < pans; i++) {
    const d = i % 2 === 0 ? 1 : -1;
    await touchSwipe(
      cdp,
      [centre[0] - d * 300, centre[1] - d * 150],
      [centre[0] + d * 300, centre[1] + d * 150],
      16,
    );
    await page.waitForTimeout(400);
  }
  return (await stop()).slice(2);
}

interface Session {
  page: Page;
  cdp: CDPSession;
  /** Scripts fetched so far, gzip sizes by URL. */
  scripts: Map<string, number>;
  close(): Promise<void>;
}

/** A fresh 1920x1080 touch page, throttled 4x, recording every script it fetches. */
async function session(browser: Browser): Promise<Session> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, hasTouch: true });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  const scripts = new Map<string, number>();
  page.on('response', (r) => {
    if (r.request().resourceType() !== 'script') return;
    void r.body().then(
      (b) => scripts.set(r.url(), gzipSync(b, { level: 9 }).length),
      () => {},
    );
  });
  return { page, cdp, scripts, close: () => context.close() };
}

/** Loads `url`, waits for the first slide, and reads FCP and the first slide's frame. */
async function coldStart(
  s: Session,
  url: string,
  ready: string,
): Promise<{ fcpMs: number; firstSlideMs: number }> {
  await s.page.addInitScript(firstFrameProbe(ready));
  await s.page.goto(url);
  // A function, not a string: Playwright evaluates a string predicate with eval, which the kiosk's CSP refuses.
  await s.page.waitForFunction(
    () => (window as { __firstSlide?: number }).__firstSlide !== undefined,
    undefined,
    {
      timeout: 60_000,
    },
  );
  return (await s.page.evaluate(`({
    fcpMs: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
    firstSlideMs: window.__firstSlide,
  })`)) as { fcpMs: number; firstSlideMs: number };
}

async function jsTotal(
  s: Session,
): Promise<{ jsGzipBytes: number; jsFiles: { url: string; gzip: number }[] }> {
  // Bodies are read as responses arrive; give the last ones a moment.
  await s.page.waitForTimeout(500);
  const jsFiles = [...s.scripts].map(([url, gzip]) => ({ url: new URL(url).pathname, gzip }));
  return { jsGzipBytes: jsFiles.reduce((a, f) => a + f.gzip, 0), jsFiles };
}

/**
 * The start rows: `n` cold loads of each side, each in a fresh context, in
 * pairs whose order alternates, so neither side always meets a browser the
 * other has just warmed; medians of each.
 */
async function coldLoads(
  browser: Browser,
  vitrineUrl: string,
  peerUrl: string,
  n: number,
): Promise<Record<'vitrine' | 'peer', { fcpMs: number; firstSlideMs: number }>> {
  type Cold = { fcpMs: number; firstSlideMs: number };
  const runs: Record<'vitrine' | 'peer', Cold[]> = { vitrine: [], peer: [] };
  const load = async (side: 'vitrine' | 'peer') => {
    const s = await session(browser);
    try {
      runs[side].push(
        side === 'vitrine'
          ? await coldStart(s, vitrineUrl, VITRINE_FIRST_SLIDE)
          : await coldStart(s, peerUrl, PEER_FIRST_SLIDE),
      );
    } finally {
      await s.close();
    }
  };
  for (let i = 0; i < n; i++) {
    const order: ('vitrine' | 'peer')[] = i % 2 === 0 ? ['vitrine', 'peer'] : ['peer', 'vitrine'];
    for (const side of order) await load(side);
  }
  const median = (side: 'vitrine' | 'peer') => ({
    fcpMs: percentile(
      runs[side].map((r) => r.fcpMs),
      0.5,
    ),
    firstSlideMs: percentile(
      runs[side].map((r) => r.firstSlideMs),
      0.5,
    ),
  });
  return { vitrine: median('vitrine'), peer: median('peer') };
}

/** The kiosk at {@link PACE_SECONDS} a slide: every side-by-side row, then the kiosk-only rows. */
async function measureVitrine(
  browser: Browser,
  contentDir: string,
  illustrated: number,
  p: Plan,
): Promise<{ side: Side; extra: Omit<KioskOnly, 'initialJs' | 'ownPace'> }> {
  const preview = await startPreview({
    port: 0,
    open: false,
    quiet: true,
    contentDir,
    attractSeconds: PACE_SECONDS,
    watch: false,
  });
  const s = await session(browser);
  try {
    const { page, cdp } = s;
    const cold = await coldStart(s, preview.url, VITRINE_FIRST_SLIDE);
    const stopAdvance = await recordFrames(page);
    await page.waitForTimeout(p.advanceSeconds * 1000);
    const advanceFrames = (await stopAdvance()).slice(5);

    await touchTap(cdp, 960, 540);
    await page.locator('[data-testid="chapter-card"]').first().waitFor();
    await touchTap(cdp, ...(await centreOf(page, '[data-testid="chapter-card"]')));
    await page.locator('[data-testid="next"]').first().waitFor();

    // Taps on Next / Previous: Event Timing gives input-to-next-paint per interaction, as INP does.
    await page.evaluate(OBSERVE_TAPS);
    const taps: number[] = [];
    for (let i = 0; i < p.taps; i++) {
      const before = (await page.evaluate('window.__taps.length')) as number;
      await touchTap(
        cdp,
        ...(await centreOf(page, i % 2 === 0 ? '[data-testid="next"]' : '[data-testid="prev"]')),
      );
      await page.waitForTimeout(700);
      const entries = (await page.evaluate(`window.__taps.slice(${before})`)) as number[];
      taps.push(entries.length ? Math.max(...entries) : 16);
    }
    const turns = (await page.evaluate('window.__turns')) as number[];

    // The same taps as a finger makes them, resting on the button a moment: the page it leads to
    // is built during the press.
    await page.evaluate('window.__turns = []; window.__ahead = []');
    for (let i = 0; i < p.taps; i++) {
      const at = await centreOf(page, i % 2 === 0 ? '[data-testid="next"]' : '[data-testid="prev"]');
      await touchTap(cdp, ...at, FINGER_TAP_MS);
      await page.waitForTimeout(700);
    }
    const fingerTurns = (await page.evaluate('window.__turns')) as number[];
    const fingerAhead = (await page.evaluate('window.__ahead')) as boolean[];

    const swiped = await swipeRun(page, cdp, p.swipes, 700);

    const heapBefore = await heapAfterGc(cdp);
    await page.waitForTimeout(p.untouchedSeconds * 1000);
    const heapAfter = await heapAfterGc(cdp);

    // The viewer at full zoom on a scan: a wide pinch reaches the deepest zoom, then one finger pans.
    await touchTap(cdp, ...(await centreOf(page, '[data-testid="home-button"]')));
    await page.locator('[data-testid="home"]').waitFor();
    await page.locator(`[data-testid="chapter-card"] >> nth=${illustrated}`).scrollIntoViewIfNeeded();
    await touchTap(cdp, ...(await centreOf(page, `[data-testid="chapter-card"] >> nth=${illustrated}`)));
    await page.locator('[data-testid="chapter-image"]').first().waitFor();
    await page.waitForTimeout(1000);
    await touchTap(cdp, ...(await centreOf(page, '[data-testid="chapter-image"]')));
    await page.locator('[data-testid="viewer-image"]').waitFor();
    await page.waitForTimeout(1200);
    const centre = await centreOf(page, '[data-testid="viewer-surface"]');
    await touchPinch(cdp, centre, 60, 900);
    await touchPinch(cdp, centre, 60, 900);
    await page.waitForTimeout(1000);
    const scale = (await page
      .locator('[data-testid="viewer-image"]')
      .evaluate((el) => new DOMMatrixReadOnly(getComputedStyle(el).transform).a)) as number;
    const viewerFrames = await panFrames(page, cdp, centre, p.pans);
    await touchTap(cdp, ...(await centreOf(page, '[data-testid="viewer-close"]')));
    await page.locator('[data-testid="viewer"]').waitFor({ state: 'detached' });

    // The rest of a visit, so every script a visitor can cause to load is counted: each extra screen.
    // On the map, a pinch in and the same one-finger pans as the viewer's: each pan moves the
    // map's two layers and, when the finger lifts, places every arrow and place name anew.
    let map: KioskOnly['map'] = { scale: 0, frames: [] };
    for (const extra of ['timeline', 'numbers', 'map', 'credits']) {
      await touchTap(cdp, ...(await centreOf(page, '[data-testid="home-button"]')));
      await page.locator('[data-testid="home"]').waitFor();
      await page.locator(`[data-testid="extra-${extra}"]`).scrollIntoViewIfNeeded();
      await touchTap(cdp, ...(await centreOf(page, `[data-testid="extra-${extra}"]`)));
      await page.locator(`section[data-screen="${extra}"]`).waitFor();
      await page.waitForTimeout(500);
      if (extra === 'map') map = await panMap(page, cdp, p.pans);
    }
    const js = await jsTotal(s);
    return {
      side: {
        ...cold,
        ...js,
        advanceFrames,
        swipes: swiped.swipes,
        swipeFrames: swiped.frames,
        heapBefore,
        heapAfter,
      },
      extra: { taps, turns, fingerTurns, fingerAhead, viewer: { scale, frames: viewerFrames }, map },
    };
  } finally {
    await s.close();
    await preview.close();
  }
}

/** The kiosk's attract loop at the exhibit's own pace, untouched. */
async function measureOwnPace(browser: Browser, contentDir: string, p: Plan): Promise<KioskOnly['ownPace']> {
  const preview = await startPreview({ port: 0, open: false, quiet: true, contentDir, watch: false });
  const s = await session(browser);
  try {
    await coldStart(s, preview.url, VITRINE_FIRST_SLIDE);
    const seconds = (await s.page.evaluate(
      `fetch('api/exhibit').then((r) => r.json()).then((b) => b.exhibit.settings.attractSecondsPerSlide)`,
    )) as number;
    const slides = p.ownPaceSlides || (await s.page.locator('.dots span').count());
    const stop = await recordFrames(s.page);
    await s.page.waitForTimeout(slides * seconds * 1000);
    return { seconds, slides, frames: (await stop()).slice(5) };
  } finally {
    await s.close();
    await preview.close();
  }
}

/** The reveal.js deck at {@link PACE_SECONDS} a slide: the same side-by-side rows. */
async function measurePeer(browser: Browser, url: string, p: Plan): Promise<Side> {
  const s = await session(browser);
  try {
    const { page, cdp } = s;
    const cold = await coldStart(s, url, PEER_FIRST_SLIDE);
    const stopAdvance = await recordFrames(page);
    await page.waitForTimeout(p.advanceSeconds * 1000);
    const advanceFrames = (await stopAdvance()).slice(5);
    const swiped = await swipeRun(page, cdp, p.swipes, 700);
    const heapBefore = await heapAfterGc(cdp);
    await page.waitForTimeout(p.untouchedSeconds * 1000);
    const heapAfter = await heapAfterGc(cdp);
    const js = await jsTotal(s);
    return {
      ...cold,
      ...js,
      advanceFrames,
      swipes: swiped.swipes,
      swipeFrames: swiped.frames,
      heapBefore,
      heapAfter,
    };
  } finally {
    await s.close();
  }
}

/** CPU model, core count, and the rest of what the numbers depend on. */
function machine(chromium: string): Result['machine'] {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    cpu = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu;
  } catch {
    // Not Linux: os.cpus() said it.
  }
  return {
    cpu,
    cores: os.cpus().length,
    chromium,
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
  };
}

async function measure(p: Plan, log: (line: string) => void): Promise<Result> {
  // What is measured is the code as it is now: the renderer built from src/, and main/ compiled as a
  // kiosk runs it (`npm start` from stale or missing dist/main runs the TypeScript sources instead,
  // a few hundred milliseconds later).
  log('Building the renderer...');
  execFileSync('npm', ['run', 'build:renderer', '--silent'], { cwd: root, stdio: 'inherit' });
  await ensureMainBuilt(root, log);
  const indexHtml = readFileSync(path.join(rendererDir, 'index.html'), 'utf8');
  const files = initialScripts(indexHtml).map((file) => ({ file, gzip: gzipSizeOf(file) }));
  const initialJs = { files, total: files.reduce((a, f) => a + f.gzip, 0) };

  log(`Making ${p.scan.width}x${p.scan.height} scans and their screen copies (content build)...`);
  const scans = await makeScanExhibit(p.scan, log);
  const deck = await buildPeerDeck(scans.exhibit, scans.dir, PACE_SECONDS * 1000);
  const deckServer = await serveStatic(deck.dir);
  const browserPath = await findSystemBrowser();
  if (!browserPath.ok) throw new Error(browserPath.message);
  // One Chromium at a time, one page at a time: the contestants never share the CPU.
  const browser = await chromium.launch({
    executablePath: browserPath.path,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--js-flags=--expose-gc',
    ],
  });
  try {
    log(`Cold loads, ${p.coldLoads} of each side in alternating pairs...`);
    const coldPreview = await startPreview({
      port: 0,
      open: false,
      quiet: true,
      contentDir: scans.dir,
      attractSeconds: PACE_SECONDS,
      watch: false,
    });
    const cold = await coldLoads(browser, coldPreview.url, deckServer.url, p.coldLoads).finally(() =>
      coldPreview.close(),
    );
    log('Vitrine at 2 s a slide...');
    const illustrated = Math.max(
      0,
      scans.exhibit.chapters.findIndex((c) => c.images.length > 0),
    );
    const v = await measureVitrine(browser, scans.dir, illustrated, p);
    log('reveal.js at 2 s a slide...');
    const peer = await measurePeer(browser, deckServer.url, p);
    log("Vitrine at the exhibit's own pace...");
    const ownPace = await measureOwnPace(browser, scans.dir, p);
    log('npm start, cold, to its first screen...');
    const kioskStart = await measureKioskStart(scans.dir, p.kioskStarts);
    return {
      plan: p,
      machine: machine(browser.version()),
      date: new Date().toISOString().slice(0, 10),
      scans: { count: scans.scans.length, ...p.scan, megabytes: scans.bytes / 1e6 },
      vitrine: { ...v.side, ...cold.vitrine },
      peer: { ...peer, ...cold.peer },
      peerSlides: deck.slides,
      kiosk: { initialJs, ...v.extra, ownPace },
      kioskStart,
    };
  } finally {
    await browser.close();
    await deckServer.close();
    await deck.remove();
    await scans.remove();
  }
}

function fmt(n: number, digits = 1): string {
  return Number.isFinite(n) ? n.toFixed(digits) : 'n/a';
}

/** Vitrine / peer, two decimals; a ratio under 1 means Vitrine is ahead on a lower-is-better row. */
export function ratio(a: number, b: number): string {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return 'n/a';
  return (a / b).toFixed(2);
}

/** The heading the endurance bench writes under; the speed bench keeps whatever follows it. */
/** The `npm start` table: the first start, every later start's percentiles, and Electron's row. */
export function kioskStartRows(k: KioskStart): string[] {
  if (!k.ok) return [`Not measured here: ${k.reason}.`];
  const head = ['| measure | result | budget | |', '| --- | --- | --- | --- |'];
  const p50 = percentile(k.ms, 0.5);
  return [
    ...head,
    `| first start (${k.opened}), which also installs the exhibit into the content store | ${fmt(k.firstMs, 0)} ms | | |`,
    `| every later start (${k.opened}), p50 / max (${k.ms.length} starts) | ${fmt(p50, 0)} / ${fmt(Math.max(...k.ms), 0)} ms | ≤ ${BUDGETS.firstAttractFrameMs} ms | ${ok(p50 <= BUDGETS.firstAttractFrameMs)} |`,
    `| the same, as the kiosk process counts it (from its own start, without npm's), p50 | ${fmt(percentile(k.processMs, 0.5), 0)} ms | | |`,
    ...(k.opened === 'Electron'
      ? []
      : [
          `| Electron | not measured: \`npm start\` opened the Chromium kiosk (no Electron binary installed) | | |`,
        ]),
  ];
}

export const ENDURANCE_HEADING = '## Endurance';

/** The markdown report. `kept` is the endurance section already in the file, carried over as it is. */
export function report(r: Result, kept = ''): string {
  const v = r.vitrine;
  const q = r.peer;
  const kB = (b: number) => `${fmt(b / 1024)} kB`;
  const heapV = v.heapAfter - v.heapBefore;
  const heapQ = q.heapAfter - q.heapBefore;
  const row = (
    name: string,
    a: number,
    b: number,
    unit: (n: number) => string,
    budget: string,
    abs?: boolean,
  ) => {
    const ahead = a <= b;
    const verdict = abs === undefined ? ok(ahead) : ok(ahead && abs);
    return `| ${name} | ${unit(a)} | ${unit(b)} | ${ratio(a, b)} | ${budget} | ${verdict} |`;
  };
  const ms = (n: number) => `${fmt(n)} ms`;
  const pct = (n: number) => `${fmt(n)} %`;
  const heapKB = (n: number) => `${fmt(n / 1024)} kB`;
  const vFrameP99 = percentile(v.advanceFrames, 0.99);
  const vSwipeP95 = percentile(v.swipes, 0.95);
  const tapP95 = percentile(r.kiosk.taps, 0.95);
  const turnP99 = percentile(v.swipeFrames, 0.99);
  const ownP99 = percentile(r.kiosk.ownPace.frames, 0.99);
  const viewP99 = percentile(r.kiosk.viewer.frames, 0.99);
  const mapP99 = percentile(r.kiosk.map.frames, 0.99);
  const lines = [
    '# Benchmarks',
    '',
    `Measured by \`npm run bench\`${r.plan.quick ? ' **--quick (a smoke test: these numbers mean nothing)**' : ''} on ${r.date}.`,
    '',
    `- **Machine**: ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.platform}; Node ${r.machine.node}.`,
    `- **Browser**: Chromium ${r.machine.chromium}, headless, 4x CPU throttle (CDP \`Emulation.setCPUThrottlingRate\`), 1920x1080, touch input sent through CDP. One browser, one page at a time.`,
    `- **Pictures**: ${r.scans.count} scan-like ${r.scans.width}x${r.scans.height} JPEGs (${fmt(r.scans.megabytes)} MB in all: grain over smooth gradients, made by \`main/tools/bench-scans.ts\`) put in the bundled exhibit's image slots and run through \`content build\`; the kiosk shows the screen copies it makes, the peer the same 1920 px copies.`,
    `- **Peer**: the same chapters as a reveal.js deck (\`main/tools/bench-peer.ts\`): a title slide and one slide per chapter (title, summary, first paragraph over its first picture), \`autoSlide\` and \`loop\`, ${r.peerSlides} slides, served by a static file server.`,
    '',
    `## Vitrine and the reveal.js loop, side by side (both advancing every ${PACE_SECONDS} s)`,
    '',
    'Ratio is Vitrine / peer: under 1 is Vitrine ahead. Every row is held to "no worse than the peer"; some also to an absolute budget.',
    '',
    '| measure | Vitrine | reveal.js | ratio | budget | |',
    '| --- | --- | --- | --- | --- | --- |',
    row('first contentful paint', v.fcpMs, q.fcpMs, ms, '≤ peer'),
    row(
      'cold start to the first slide painted',
      v.firstSlideMs,
      q.firstSlideMs,
      ms,
      `≤ peer and ≤ ${BUDGETS.firstAttractFrameMs} ms`,
      v.firstSlideMs <= BUDGETS.firstAttractFrameMs,
    ),
    row('JS loaded during the visit, gzip', v.jsGzipBytes, q.jsGzipBytes, kB, '≤ peer'),
    row(
      `frame time while advancing, p99 (${v.advanceFrames.length} / ${q.advanceFrames.length} frames)`,
      vFrameP99,
      percentile(q.advanceFrames, 0.99),
      ms,
      `≤ peer and ≤ ${BUDGETS.frameP99Ms} ms`,
      vFrameP99 <= BUDGETS.frameP99Ms,
    ),
    row(
      `frames over ${BUDGETS.longFrameMs} ms while advancing`,
      longFrameShare(v.advanceFrames),
      longFrameShare(q.advanceFrames),
      pct,
      '≤ peer',
    ),
    row(
      `swipe, longest Event Timing entry, p95 (${v.swipes.length} swipes)`,
      vSwipeP95,
      percentile(q.swipes, 0.95),
      ms,
      `≤ peer and ≤ ${BUDGETS.tapToPaintP95Ms} ms`,
      vSwipeP95 <= BUDGETS.tapToPaintP95Ms,
    ),
    row(
      `frame time while swiping, p99`,
      turnP99,
      percentile(q.swipeFrames, 0.99),
      ms,
      `≤ peer and ≤ ${BUDGETS.frameP99Ms} ms`,
      turnP99 <= BUDGETS.frameP99Ms,
    ),
    row(
      `JS heap growth over ${r.plan.untouchedSeconds} s untouched, after forced GC`,
      heapV,
      heapQ,
      heapKB,
      '≤ peer',
    ),
    '',
    '## Vitrine alone',
    '',
    '| measure | result | budget | |',
    '| --- | --- | --- | --- |',
    `| initial JS, gzip | ${kB(r.kiosk.initialJs.total)} | ${BUDGETS.initialJsGzipBytes / 1024} kB | ${ok(r.kiosk.initialJs.total <= BUDGETS.initialJsGzipBytes)} |`,
    `| tap to next paint, p50 / p95 (${r.kiosk.taps.length} taps) | ${fmt(percentile(r.kiosk.taps, 0.5))} / ${fmt(tapP95)} ms | p95 ≤ ${BUDGETS.tapToPaintP95Ms} ms | ${ok(tapP95 <= BUDGETS.tapToPaintP95Ms)} |`,
    `| tap to the new chapter's first frame, p50 / p95 (${r.kiosk.turns.length} taps) | ${fmt(percentile(r.kiosk.turns, 0.5))} / ${fmt(percentile(r.kiosk.turns, 0.95))} ms | | |`,
    `| a finger's tap (held ${FINGER_TAP_MS} ms) to the new chapter's first frame, p50 / p95; its page built before the lift | ${fmt(percentile(r.kiosk.fingerTurns, 0.5))} / ${fmt(percentile(r.kiosk.fingerTurns, 0.95))} ms; ${r.kiosk.fingerAhead.filter(Boolean).length}/${r.kiosk.fingerAhead.length} | | |`,
    `| attract loop at the exhibit's own ${r.kiosk.ownPace.seconds} s a slide, p50 / p95 / p99 (${r.kiosk.ownPace.slides} slides, ${r.kiosk.ownPace.frames.length} frames) | ${fmt(percentile(r.kiosk.ownPace.frames, 0.5))} / ${fmt(percentile(r.kiosk.ownPace.frames, 0.95))} / ${fmt(ownP99)} ms | p99 ≤ ${BUDGETS.frameP99Ms} ms | ${ok(ownP99 <= BUDGETS.frameP99Ms)} |`,
    `| panning the viewer at full zoom (${fmt(r.kiosk.viewer.scale, 2)}x), p50 / p95 / p99 (${r.kiosk.viewer.frames.length} frames) | ${fmt(percentile(r.kiosk.viewer.frames, 0.5))} / ${fmt(percentile(r.kiosk.viewer.frames, 0.95))} / ${fmt(viewP99)} ms | p99 ≤ ${BUDGETS.frameP99Ms} ms | ${ok(viewP99 <= BUDGETS.frameP99Ms)} |`,
    `| pinching in and panning the campaign map (${fmt(r.kiosk.map.scale, 2)}x), p50 / p95 / p99 (${r.kiosk.map.frames.length} frames) | ${fmt(percentile(r.kiosk.map.frames, 0.5))} / ${fmt(percentile(r.kiosk.map.frames, 0.95))} / ${fmt(mapP99)} ms | p99 ≤ ${BUDGETS.frameP99Ms} ms | ${ok(mapP99 <= BUDGETS.frameP99Ms)} |`,
    '',
    '## Starting the kiosk as a technician does',
    '',
    ...kioskStartRows(r.kioskStart),
    '',
    '## Scripts loaded',
    '',
    '| | file | gzip |',
    '| --- | --- | --- |',
    ...r.kiosk.initialJs.files.map((f) => `| Vitrine, up front | \`${f.file}\` | ${kB(f.gzip)} |`),
    ...v.jsFiles.map((f) => `| Vitrine, during the visit | \`${f.url}\` | ${kB(f.gzip)} |`),
    ...q.jsFiles.map((f) => `| reveal.js | \`${f.url}\` | ${kB(f.gzip)} |`),
    '',
    '## How each is measured',
    '',
    `- **First contentful paint**: the \`first-contentful-paint\` paint entry of a cold load in a fresh browser context; the median of ${r.plan.coldLoads} cold loads of each side, taken in pairs whose order alternates (the first page a browser loads pays for warming it, and whichever side always went first would always pay).`,
    '- **Cold start to the first slide painted**: from navigation start to the animation frame after the first slide is in the page with its picture decoded (the kiosk: the first `attract-slide` and its `img`; reveal.js: `.reveal.ready` and every image loaded); the median of the same cold loads.',
    "- **Starting the kiosk**: `npm start -- --content <the scan exhibit>`, with `main/` compiled (the bench runs `npm run build:main` when `dist/main` is not built from the sources as they are), on an X display (the session's, or a private Xvfb at 1920x1080), in a user-data folder and browser profile of the bench's own, timed from the command to the kiosk's log line `First screen drawn`, which the host writes when the page first confirms its content, two frames after drawing it (`main/tools/bench-kiosk-start.ts`). The first start also copies and checks the exhibit into the content store; the later ones are a morning's start. Whatever `npm start` opens is timed: Electron where its binary is installed, else the Chromium kiosk.",
    "- **JS loaded during the visit**: every response of type script, gzip level 9. The kiosk's visit: the attract loop, a chapter with taps and swipes, the viewer, then every extra screen (timeline, numbers, map, credits); the deck's: its whole run. The map's base map is data (a pre-projected TopoJSON file fetched when the map opens), not script, and is not counted.",
    `- **Frame time while advancing**: \`requestAnimationFrame\` intervals over ${r.plan.advanceSeconds} s of each loop advancing by itself, untouched, every ${PACE_SECONDS} s (the kiosk through its \`attractSeconds\` override, the lowest value staff may set). Frames over ${BUDGETS.longFrameMs} ms are a visible stutter at 60 Hz.`,
    `- **Swipe**: ${r.plan.swipes} horizontal swipes (1000 px in 8 moves, 800 ms apart) through CDP touch; per swipe, the longest Event Timing entry of any input event (\`pointerdown\`, \`pointermove\`, \`pointerup\`, touch events); Event Timing reports only entries over 16 ms, so a swipe with none counts as 16 ms. The kiosk is on a chapter, the deck mid-loop.`,
    `- **Heap growth**: \`Runtime.getHeapUsage\` after two forced collections (CDP \`HeapProfiler.collectGarbage\`), before and after ${r.plan.untouchedSeconds} s untouched straight after the swipes.`,
    "- **Tap to next paint**: the longest Event Timing entry (`pointerdown`, `pointerup`, `click`) per tap on the chapter Next/Previous buttons. A button shows itself pressed in that paint and acts just after it (`afterNextPaint` in `src/lib/pointer.ts`), so the next row gives the time from the finger lifting to the animation frame that first draws the new chapter's page (the frame after the page carrying the chapter's test id becomes another element). Those taps lift at once, as CDP sends them.",
    `- **A finger's tap**: the same ${r.plan.taps} taps on Next/Previous resting ${FINGER_TAP_MS} ms on the button, as a finger does; a press builds the page it leads to and decodes its picture out of sight (\`src/components/ChapterScreen.svelte\`), so the row gives the lift to the new chapter's first frame and how many of those pages were already built when the finger lifted.`,
    "- **Viewer at full zoom**: the first chapter's scan opened in the viewer, pinched out to its deepest zoom, then panned with one finger diagonally back and forth; frames while panning.",
    "- **Campaign map**: once its base map is drawn, two pinches in around the map's centre, then the same one-finger pans as the viewer's; frames while panning, which move the map and its names as they are and place every arrow and name anew when the finger lifts.",
    "- **Compositing**: headless Chromium here has no GPU, so it composites on the CPU, and the kiosk, detecting that (`src/lib/render-mode.ts`), moves pictures and pages in whole pixels, which the CPU copies rather than resamples. These are the renderer main thread's frames: one in which the compositor kept the motion going while the main thread waited still counts as long, so they err on the side of jank.",
    '',
  ];
  return lines.join('\n') + (kept ? `\n${kept.trimEnd()}\n` : '');
}

/** The endurance section of an existing BENCHMARKS.md, from its heading to the end ('' if none). */
export function enduranceSection(md: string): string {
  const at = md.indexOf(`\n${ENDURANCE_HEADING}`);
  return at < 0 ? '' : md.slice(at + 1);
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const quick = process.argv.includes('--quick');
  const outAt = process.argv.indexOf('--out');
  const out =
    outAt > 0
      ? path.resolve(process.argv[outAt + 1]!)
      : quick
        ? path.join(os.tmpdir(), 'BENCHMARKS.quick.md')
        : path.join(root, 'docs/BENCHMARKS.md');
  const started = Date.now();
  try {
    const r = await measure(plan(quick), (line) => console.log(line));
    const kept = existsSync(out) ? enduranceSection(readFileSync(out, 'utf8')) : '';
    const md = report(r, kept);
    writeFileSync(out, md);
    console.log(md);
    console.log(`wrote ${out} in ${Math.round((Date.now() - started) / 1000)} s`);
  } catch (err) {
    console.error(`bench failed: ${(err as Error).stack ?? err}`);
    process.exit(1);
  }
}
