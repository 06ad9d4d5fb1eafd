/**
 * Finds text that does not fit its box on the screen as it is now: clipped by
 * its own hidden overflow, spilling out of its box, cut by a clipping
 * ancestor or by the edge of the screen, or shortened with an ellipsis when
 * the full text is nowhere else on the screen. Scrollable containers
 * (`overflow: auto|scroll`) are meant to hold more than they show and are not
 * overflow.
 */
import type { Page } from '@playwright/test';

/** One piece of text that does not fit. */
export interface OverflowIssue {
  /** What went wrong, e.g. "clipped", "spills", "cut by ancestor", "off screen", "ellipsis". */
  kind: string;
  /** A CSS-ish path to the element. */
  where: string;
  /** The start of the text. */
  text: string;
  /** Pixel detail of the overflow. */
  detail: string;
}

/** Runs in the page; see the module comment. */
export function findOverflowInPage(opts: { transparent?: boolean } = {}): OverflowIssue[] {
  const vw = window.innerWidth;
  const vh = window.innerHeight;
  const issues: OverflowIssue[] = [];
  const describe = (el: Element) => {
    const parts: string[] = [];
    for (let a: Element | null = el; a && a !== document.body && parts.length < 4; a = a.parentElement) {
      const id = a.getAttribute('data-testid');
      const cls = [...a.classList]
        .filter((c) => !c.startsWith('svelte-'))
        .slice(0, 2)
        .join('.');
      parts.unshift(a.tagName.toLowerCase() + (id ? `[data-testid=${id}]` : '') + (cls ? `.${cls}` : ''));
    }
    return parts.join(' > ');
  };
  const snippet = (el: Element) => (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 70);
  const scrolls = (s: CSSStyleDeclaration) =>
    /auto|scroll/.test(s.overflowX) || /auto|scroll/.test(s.overflowY);
  const clips = (s: CSSStyleDeclaration) => s.overflowX !== 'visible' || s.overflowY !== 'visible';
  // Inert content is out of reach and out of sight (a chapter's page built ahead waits beside the stage).
  const shown = (el: Element) =>
    !el.closest('[inert]') &&
    el.checkVisibility({
      opacityProperty: !opts.transparent,
      visibilityProperty: true,
      contentVisibilityAuto: true,
    });

  /** The box the text's glyphs take, from its own text nodes. */
  const textBox = (el: Element) => {
    let box: { l: number; t: number; r: number; b: number } | null = null;
    for (const n of el.childNodes) {
      if (n.nodeType !== Node.TEXT_NODE || !n.nodeValue?.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
      if (rects.length === 0 && el instanceof SVGGraphicsElement) rects.push(el.getBoundingClientRect());
      for (const r of rects) {
        box = box
          ? {
              l: Math.min(box.l, r.left),
              t: Math.min(box.t, r.top),
              r: Math.max(box.r, r.right),
              b: Math.max(box.b, r.bottom),
            }
          : { l: r.left, t: r.top, r: r.right, b: r.bottom };
      }
    }
    return box;
  };

  const textOf = (el: Element) => (el as HTMLElement).innerText ?? el.textContent ?? '';
  const pageText = () => {
    let text = document.body.innerText;
    for (const away of document.querySelectorAll<HTMLElement>('[inert]'))
      text = text.replace(away.innerText, ' ');
    return text.replace(/\s+/g, ' ');
  };

  for (const el of document.body.querySelectorAll('*')) {
    const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.nodeValue?.trim());
    if (!own || !shown(el) || el.closest('script,style,template,noscript')) continue;
    const box = textBox(el);
    if (!box || box.r - box.l < 2 || box.b - box.t < 2) continue; // visually hidden, or empty
    const style = getComputedStyle(el);
    const em = parseFloat(style.fontSize) || 16;
    // Glyphs may overhang a tight line-height a little; a quarter em is type, not overflow.
    const slackY = Math.max(1, em * 0.25);
    const slackX = 1;
    const html = el instanceof HTMLElement;
    // A visually-hidden label (a 1 px clipped box) is for assistive tech, not on screen.
    if (html && el.clientWidth <= 1 && el.clientHeight <= 1) continue;

    // Entirely outside the screen and not in a scroller: it is not on this screen at all.
    let scroller: Element | null = null;
    let clipper: Element | null = null;
    for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (scrolls(s)) {
        scroller = a;
        break;
      }
      if (!clipper && clips(s)) clipper = a;
    }
    const offScreen = box.r <= 0 || box.b <= 0 || box.l >= vw || box.t >= vh;
    if (offScreen && !scroller) continue;

    // 1. Its own hidden overflow clips it (or an ellipsis or line clamp shortens it).
    if (html && clips(style) && !scrolls(style)) {
      const wide = el.scrollWidth > el.clientWidth + 1;
      const tall = el.scrollHeight > el.clientHeight + 1;
      if (wide || tall) {
        const ellipsis = style.textOverflow === 'ellipsis' || style.webkitLineClamp !== 'none';
        const full = textOf(el).replace(/\s+/g, ' ').trim();
        const elsewhere = ellipsis && pageText().split(full).length > 2;
        if (!elsewhere) {
          issues.push({
            kind: ellipsis ? 'ellipsis' : 'clipped',
            where: describe(el),
            text: snippet(el),
            detail: `scroll ${el.scrollWidth}x${el.scrollHeight} > client ${el.clientWidth}x${el.clientHeight}`,
          });
        }
        continue;
      }
    }
    // 2. Its text spills out of its own (block) box.
    if (html && !style.display.startsWith('inline') && style.display !== 'contents') {
      const r = el.getBoundingClientRect();
      const dx = Math.max(r.left - box.l, box.r - r.right);
      const dy = Math.max(r.top - box.t, box.b - r.bottom);
      if (dx > slackX || dy > slackY) {
        issues.push({
          kind: 'spills',
          where: describe(el),
          text: snippet(el),
          detail: `by ${dx.toFixed(1)}x${dy.toFixed(1)} px`,
        });
        continue;
      }
    }
    // 3. A clipping ancestor (hidden overflow, not a scroller) cuts it.
    if (clipper) {
      const c = clipper.getBoundingClientRect();
      const outside = box.r <= c.left || box.l >= c.right || box.b <= c.top || box.t >= c.bottom;
      const dx = Math.max(c.left - box.l, box.r - c.right);
      const dy = Math.max(c.top - box.t, box.b - c.bottom);
      if (!outside && (dx > slackX || dy > slackY)) {
        issues.push({
          kind: 'cut by ancestor',
          where: describe(el),
          text: snippet(el),
          detail: `${describe(clipper)} by ${dx.toFixed(1)}x${dy.toFixed(1)} px`,
        });
        continue;
      }
    }
    // 4. The screen's edge cuts it (a scroller's content is reached by scrolling).
    if (!scroller) {
      const dx = Math.max(-box.l, box.r - vw);
      const dy = Math.max(-box.t, box.b - vh);
      if (dx > slackX || dy > slackY) {
        issues.push({
          kind: 'off screen',
          where: describe(el),
          text: snippet(el),
          detail: `by ${dx.toFixed(1)}x${dy.toFixed(1)} px`,
        });
      }
    }
  }

  return issues;
}

/**
 * The text that does not fit on the screen now; with `transparent`, also text
 * still fully faded out (a slide that is fading in).
 */
export async function findOverflow(
  page: Page,
  opts: { transparent?: boolean } = {},
): Promise<OverflowIssue[]> {
  return page.evaluate(findOverflowInPage, opts);
}
