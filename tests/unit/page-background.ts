/** Reads, from the renderer's sources, the colour the page paints first. */
import { readFileSync } from 'node:fs';

const src = (file: string) => readFileSync(new URL(`../../src/${file}`, import.meta.url), 'utf8');

/**
 * The colour the page paints first: the page background token (global.css, its value in tokens.css)
 * and the inline first-paint style (index.html), both lower-case.
 */
export function pageBackground(): { token: string; inline: string } {
  const rule = /html,\s*body\s*\{[^}]*?background:\s*var\((--[\w-]+)\)/.exec(src('styles/global.css'));
  if (!rule) throw new Error('global.css no longer paints html, body from a token');
  const token = new RegExp(`${rule[1]}:\\s*(#[0-9a-fA-F]{3,8})`).exec(src('styles/tokens.css'))?.[1];
  const inline = /<style>[^<]*?background:\s*(#[0-9a-fA-F]{3,8})/.exec(src('index.html'))?.[1];
  if (!token || !inline) throw new Error('cannot find the page background in tokens.css or index.html');
  return { token: token.toLowerCase(), inline: inline.toLowerCase() };
}
