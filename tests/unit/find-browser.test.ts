import { describe, expect, it } from 'vitest';
import { findBrowser, type FindBrowserDeps } from '../../main/cli/find-browser.js';

function deps(
  present: string[],
  env: Record<string, string> = {},
  pw?: string | (() => never),
): FindBrowserDeps {
  const files = new Set(present);
  return {
    env,
    exists: (p) => files.has(p),
    playwrightPath: typeof pw === 'function' ? pw : () => pw,
  };
}

describe('findBrowser', () => {
  it('prefers the environment variable over Playwright and the system', () => {
    const found = findBrowser(
      deps(
        ['/opt/my-chrome', '/pw/chrome', '/usr/bin/chromium'],
        { VITRINE_CHROMIUM: '/opt/my-chrome' },
        '/pw/chrome',
      ),
    );
    expect(found).toEqual({ ok: true, path: '/opt/my-chrome', from: '$VITRINE_CHROMIUM' });
  });

  it('checks the variables in order: VITRINE_CHROMIUM, CHROMIUM_PATH, CHROME_PATH', () => {
    expect(findBrowser(deps(['/a', '/b'], { CHROME_PATH: '/b', CHROMIUM_PATH: '/a' }))).toMatchObject({
      path: '/a',
      from: '$CHROMIUM_PATH',
    });
  });

  it('says plainly when the variable points nowhere, rather than silently using another browser', () => {
    const found = findBrowser(deps(['/usr/bin/chromium'], { VITRINE_CHROMIUM: '/nope' }));
    expect(found).toEqual({ ok: false, message: '$VITRINE_CHROMIUM points to /nope, which does not exist.' });
  });

  it("uses Playwright's Chromium next", () => {
    expect(findBrowser(deps(['/pw/chrome', '/usr/bin/chromium'], {}, '/pw/chrome'))).toEqual({
      ok: true,
      path: '/pw/chrome',
      from: 'Playwright',
    });
  });

  it("falls back to the system browser when Playwright's is absent or its lookup throws", () => {
    expect(findBrowser(deps(['/usr/bin/chromium'], {}, '/pw/missing'))).toMatchObject({
      path: '/usr/bin/chromium',
      from: 'system',
    });
    const throwing = () => {
      throw new Error('playwright-core not installed');
    };
    expect(findBrowser(deps(['/usr/bin/google-chrome'], {}, throwing))).toMatchObject({
      path: '/usr/bin/google-chrome',
      from: 'system',
    });
  });

  it('prefers Chromium to Chrome among system browsers', () => {
    expect(findBrowser(deps(['/usr/bin/google-chrome', '/usr/bin/chromium']))).toMatchObject({
      path: '/usr/bin/chromium',
    });
  });

  it('gives one clear line with what to do when there is none', () => {
    const found = findBrowser(deps([]));
    expect(found.ok).toBe(false);
    if (found.ok) return;
    expect(found.message).not.toContain('\n');
    expect(found.message).toMatch(/No Chromium found/);
    expect(found.message).toMatch(/VITRINE_CHROMIUM/);
    expect(found.message).toMatch(/apt-get install chromium|playwright install chromium/);
  });
});
