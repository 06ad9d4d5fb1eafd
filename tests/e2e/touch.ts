/**
 * Real touch input for Playwright through the Chrome DevTools Protocol
 * (`Input.dispatchTouchEvent`): the events go through Chromium's input
 * pipeline exactly as a touch screen's would, so `touch-action`, pointer
 * events, gesture taps and synthesised clicks all behave as on the kiosk.
 */
import type { CDPSession, Page } from '@playwright/test';
import { DOUBLE_TAP_MS } from '../../src/lib/gestures.js';

/** A point in CSS px from the viewport's top-left. */
export interface Pt {
  x: number;
  y: number;
}

const sessions = new WeakMap<Page, CDPSession>();

async function cdp(page: Page): Promise<CDPSession> {
  let s = sessions.get(page);
  if (!s) {
    s = await page.context().newCDPSession(page);
    sessions.set(page, s);
  }
  return s;
}

type TouchType = 'touchStart' | 'touchMove' | 'touchEnd' | 'touchCancel';

async function send(page: Page, type: TouchType, points: (Pt & { id: number })[]): Promise<void> {
  const session = await cdp(page);
  await session.send('Input.dispatchTouchEvent', {
    type,
    touchPoints: points.map((p) => ({ x: p.x, y: p.y, id: p.id, radiusX: 6, radiusY: 6, force: 1 })),
  });
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Puts a finger down at `at` and leaves it there; lift it with {@link touchUp}. */
export async function touchDown(page: Page, at: Pt): Promise<void> {
  await send(page, 'touchStart', [{ ...at, id: 1 }]);
}

/** Moves the finger put down with {@link touchDown} to `at`, still touching. */
export async function touchMove(page: Page, at: Pt): Promise<void> {
  await send(page, 'touchMove', [{ ...at, id: 1 }]);
}

/** Puts a finger down at each of `at`, or moves them there, and leaves them touching. */
export async function fingers(page: Page, type: 'touchStart' | 'touchMove', at: Pt[]): Promise<void> {
  await send(
    page,
    type,
    at.map((p, i) => ({ ...p, id: i + 1 })),
  );
}

/** Lifts every finger. */
export async function touchUp(page: Page): Promise<void> {
  await send(page, 'touchEnd', []);
}

/** A quick tap at `at`. */
export async function tap(page: Page, at: Pt): Promise<void> {
  await send(page, 'touchStart', [{ ...at, id: 1 }]);
  await pause(40);
  await send(page, 'touchEnd', []);
}

/**
 * Two taps close together, as a visitor double-taps. On a machine too busy to deliver them within
 * the kiosk's double-tap window by the page's own clock (lift to lift, as `src/lib/pan-zoom.ts`
 * times them), the page saw two single taps, as it would from a visitor that slow, so the pair is
 * sent again, up to three times; then it fails saying so, rather than letting a test judge a
 * double tap that never happened.
 */
export async function doubleTap(page: Page, at: Pt): Promise<void> {
  const gaps: number[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.evaluate(() => {
      const w = window as unknown as { __lifts?: number[] };
      if (w.__lifts) return void (w.__lifts.length = 0);
      const lifts: number[] = (w.__lifts = []);
      addEventListener('pointerup', (e) => lifts.push(e.timeStamp), { capture: true });
    });
    await tap(page, at);
    await pause(60);
    await tap(page, at);
    const lifts = await page.evaluate(() => (window as unknown as { __lifts: number[] }).__lifts);
    const gap = lifts.length === 2 ? lifts[1]! - lifts[0]! : Infinity;
    if (gap <= DOUBLE_TAP_MS) return;
    gaps.push(Math.round(gap));
  }
  throw new Error(
    `doubleTap: the page saw the taps lift ${gaps.join(', ')} ms apart, never within ${DOUBLE_TAP_MS} ms`,
  );
}

/** Holds a finger still at `at` for `ms` (a long press). */
export async function longPress(page: Page, at: Pt, ms = 1200): Promise<void> {
  await send(page, 'touchStart', [{ ...at, id: 1 }]);
  await pause(ms);
  await send(page, 'touchEnd', []);
}

/** A one-finger swipe from `from` to `to` in `steps` moves over about `ms`. */
export async function swipe(page: Page, from: Pt, to: Pt, { steps = 10, ms = 160 } = {}): Promise<void> {
  await send(page, 'touchStart', [{ ...from, id: 1 }]);
  for (let i = 1; i <= steps; i++) {
    const k = i / steps;
    await pause(ms / steps);
    await send(page, 'touchMove', [
      { x: from.x + (to.x - from.x) * k, y: from.y + (to.y - from.y) * k, id: 1 },
    ]);
  }
  await send(page, 'touchEnd', []);
}

/**
 * A two-finger pinch about `centre`: the fingers start `startGap` px apart
 * horizontally and end `endGap` px apart (end > start zooms in).
 */
export async function pinch(
  page: Page,
  centre: Pt,
  startGap: number,
  endGap: number,
  { steps = 12, ms = 300 } = {},
): Promise<void> {
  const fingers = (gap: number) => [
    { x: centre.x - gap / 2, y: centre.y, id: 1 },
    { x: centre.x + gap / 2, y: centre.y, id: 2 },
  ];
  await send(page, 'touchStart', fingers(startGap));
  for (let i = 1; i <= steps; i++) {
    await pause(ms / steps);
    await send(page, 'touchMove', fingers(startGap + ((endGap - startGap) * i) / steps));
  }
  await send(page, 'touchEnd', []);
}

/** The centre of the element matched by `selector`. */
export async function centreOf(page: Page, selector: string): Promise<Pt> {
  const box = await page.locator(selector).first().boundingBox();
  if (!box) throw new Error(`${selector} is not visible`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Taps the centre of the element matched by `selector`. */
export async function tapOn(page: Page, selector: string): Promise<void> {
  await tap(page, await centreOf(page, selector));
}
