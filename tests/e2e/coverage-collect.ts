/**
 * Reading what a visitor can see on the kiosk's screen right now, and waiting
 * for the screen to come to rest before reading it.
 */
import type { Page } from '@playwright/test';

/** Text a visitor can see, as lines, with the alt texts of visible images. */
export interface Visible {
  text: string;
  alts: string[];
}

/**
 * Runs in the page. Text counts as visible when it is rendered (not
 * `display: none`, `visibility: hidden` or transparent), bigger than the 1 px
 * of a visually-hidden label, and either on screen or inside a scrollable
 * container that is on screen (a visitor scrolls to it). Text moved off screen
 * in a clipping box (a neighbouring slide) or covered by nothing at all does
 * not count.
 */
export function collectVisibleInPage(): Visible {
  const vw = window.innerWidth;
  const vh = window.innerHeight;
  const onScreen = (r: DOMRect) =>
    r.width > 1 && r.height > 1 && r.right > 0 && r.bottom > 0 && r.left < vw && r.top < vh;
  const scrollable = (el: Element) => {
    const s = getComputedStyle(el);
    const y = /auto|scroll/.test(s.overflowY) && el.scrollHeight > el.clientHeight + 1;
    const x = /auto|scroll/.test(s.overflowX) && el.scrollWidth > el.clientWidth + 1;
    return x || y;
  };
  const reachable = (el: Element, rects: DOMRect[]) => {
    if (rects.some(onScreen)) return true;
    for (let a = el.parentElement; a; a = a.parentElement) {
      if (scrollable(a)) return onScreen(a.getBoundingClientRect());
    }
    return false;
  };
  const shown = (el: Element) =>
    el.checkVisibility({ opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: true });
  const blockOf = (el: Element | null): Element | null => {
    for (let a = el; a; a = a.parentElement) {
      const d = getComputedStyle(a).display;
      if (!d.startsWith('inline') && d !== 'contents') return a;
    }
    return null;
  };

  const lines: string[] = [];
  let lastBlock: Element | null = null;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const value = n.nodeValue ?? '';
    if (!value.trim()) continue;
    const el = n.parentElement;
    if (!el || !shown(el) || el.closest('script,style,template,noscript')) continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    let rects = [...range.getClientRects()].filter((r) => r.width > 1 && r.height > 1);
    // SVG text has no line boxes; its element's box is the text's box.
    if (rects.length === 0 && el instanceof SVGElement) rects = [el.getBoundingClientRect()];
    if (rects.length === 0 || !reachable(el, rects)) continue;
    const block = blockOf(el);
    if (block === lastBlock && lines.length > 0) lines[lines.length - 1] += value;
    else lines.push(value);
    lastBlock = block;
  }
  const alts = [...document.querySelectorAll('img[alt]')]
    .filter((img) => shown(img) && reachable(img, [img.getBoundingClientRect()]))
    .map((img) => img.getAttribute('alt') ?? '')
    .filter((a) => a.trim());
  return { text: lines.map((l) => l.replace(/\s+/g, ' ').trim()).join('\n'), alts };
}

/** What a visitor can see now. */
export async function collectVisible(page: Page): Promise<Visible> {
  return page.evaluate(collectVisibleInPage);
}

/**
 * Waits until no transition or short animation runs (ambient motion of 3 s and
 * more, such as the attract loop's slow pan, is ignored) and fonts are in.
 * `moving` selects parts that never rest (a countdown ring) and are ignored.
 */
export async function settle(page: Page, moving?: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  const busy = (moving: string | undefined) =>
    document
      .getAnimations()
      .filter((a) => a.playState === 'running' || a.pending)
      .filter((a) => {
        const t = (a.effect as KeyframeEffect | null)?.target;
        return !(moving && t?.closest(moving));
      })
      // Ambient motion (the attract loop's slow pan, seconds long) is the screen at rest.
      .filter((a) => (a.effect?.getComputedTiming().activeDuration as number) < 3000)
      .map((a) => {
        const t = (a.effect as KeyframeEffect | null)?.target;
        const name =
          a instanceof CSSAnimation
            ? a.animationName
            : a instanceof CSSTransition
              ? a.transitionProperty
              : a.id;
        return `${name || 'script'} on ${t?.tagName.toLowerCase()}.${t?.getAttribute('class')}`;
      });
  const deadline = Date.now() + 10_000;
  for (
    let running = await page.evaluate(busy, moving);
    running.length > 0;
    running = await page.evaluate(busy, moving)
  ) {
    if (Date.now() > deadline) throw new Error(`the screen never came to rest: ${running.join('; ')}`);
    await page.waitForTimeout(100);
  }
  // Two frames, so what the last animation ended on is painted and laid out.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}
