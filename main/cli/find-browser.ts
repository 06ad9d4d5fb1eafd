/**
 * Finds a Chromium-family browser for tests, the bench, staff preview and the
 * Chromium-kiosk fallback: an explicit environment variable first, then the
 * browser Playwright installed, then the system's Chromium or Chrome.
 */
import { existsSync } from 'node:fs';

/** Environment variables consulted, in order. */
export const BROWSER_ENV_VARS = ['VITRINE_CHROMIUM', 'CHROMIUM_PATH', 'CHROME_PATH'] as const;

/** Well-known system locations, in order of preference. */
export const SYSTEM_BROWSERS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
] as const;

/** Where the browser was found, or why none was. */
export type BrowserLookup = { ok: true; path: string; from: string } | { ok: false; message: string };

/** Dependencies injected so the search order is testable without the real file system. */
export interface FindBrowserDeps {
  env: Record<string, string | undefined>;
  exists: (path: string) => boolean;
  /** Playwright's own downloaded Chromium, if any (may throw or return a path that is absent). */
  playwrightPath: () => string | undefined;
}

/** Looks for a browser in the documented order. Never throws. */
export function findBrowser(deps: FindBrowserDeps): BrowserLookup {
  for (const name of BROWSER_ENV_VARS) {
    const value = deps.env[name];
    if (value) {
      if (deps.exists(value)) return { ok: true, path: value, from: `$${name}` };
      return { ok: false, message: `$${name} points to ${value}, which does not exist.` };
    }
  }
  let pw: string | undefined;
  try {
    pw = deps.playwrightPath();
  } catch {
    pw = undefined;
  }
  if (pw && deps.exists(pw)) return { ok: true, path: pw, from: 'Playwright' };
  for (const candidate of SYSTEM_BROWSERS) {
    if (deps.exists(candidate)) return { ok: true, path: candidate, from: 'system' };
  }
  return {
    ok: false,
    message:
      'No Chromium found: install one (Debian: apt-get install chromium; elsewhere: npx playwright install chromium) or set VITRINE_CHROMIUM to its path.',
  };
}

/** {@link findBrowser} against the real environment. */
export async function findSystemBrowser(): Promise<BrowserLookup> {
  let playwrightPath: string | undefined;
  try {
    const { chromium } = await import('playwright-core');
    playwrightPath = chromium.executablePath();
  } catch {
    playwrightPath = undefined;
  }
  return findBrowser({ env: process.env, exists: existsSync, playwrightPath: () => playwrightPath });
}

/**
 * Chromium flags for an offline, unattended machine: no background
 * networking, no first-run prompts, no translate or sync.
 */
export const QUIET_CHROMIUM_FLAGS = [
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--disable-features=Translate,MediaRouter,OptimizationHints',
  '--autoplay-policy=no-user-gesture-required',
] as const;
