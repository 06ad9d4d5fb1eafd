/**
 * `npm start` binds its port and starts the kiosk browser before the content
 * and staff services are ready, so the two start side by side. A browser does
 * not retry a refused connection, so whatever it asks in that time must wait
 * and then get the real answer, never a refusal or an error page.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { lstat, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PreviewError, startPreview } from '../../main/cli/preview.js';
import { playwrightChromium, rememberedPlaywrightChromium, serveKiosk } from '../../main/cli/start.js';
import { parseArgs } from '../../main/kiosk/flags.js';
import { createContentSource } from '../../main/content/source.js';
import { createHandler, type Handler } from '../../main/handler/handler.js';
import { startHttpHost } from '../../main/hosts/http-host.js';
import { exhibitYaml, makeFixture, type Fixture } from './handler-fixture.js';

let fx: Fixture;
beforeEach(async () => {
  fx = await makeFixture();
});
afterEach(async () => {
  await fx.cleanup();
});

/** Settles to 'pending' when `p` has not settled within `ms`. */
async function within<T>(p: Promise<T>, ms: number): Promise<T | 'pending'> {
  return Promise.race([p, new Promise<'pending'>((r) => setTimeout(() => r('pending'), ms))]);
}

describe('the browser host before its handler is ready', () => {
  it('holds a request that arrives early and answers it with the handler once it comes', async () => {
    let ready!: (h: Handler) => void;
    const host = await startHttpHost({ handler: new Promise<Handler>((r) => (ready = r)), port: 0 });
    const source = await createContentSource(fx.contentDir, { watch: false });
    try {
      const early = fetch(new URL('api/exhibit', host.url));
      expect(await within(early, 150)).toBe('pending');
      ready(createHandler({ rendererDir: fx.rendererDir, content: source }));
      const res = await early;
      expect(res.status).toBe(200);
      const body = (await res.json()) as { exhibit: { title: { en: string } } };
      expect(body.exhibit.title.en).toBe('Test exhibit');
      // Later requests go straight to it.
      expect((await fetch(host.url)).status).toBe(200);
    } finally {
      source.close();
      await host.close();
    }
  });

  it('answers a held request with 503 when the services fail to start, instead of leaving it hanging', async () => {
    let fail!: (e: unknown) => void;
    const host = await startHttpHost({ handler: new Promise<Handler>((_, r) => (fail = r)), port: 0 });
    try {
      const early = fetch(host.url);
      expect(await within(early, 100)).toBe('pending');
      fail(new Error('the store is damaged'));
      expect((await early).status).toBe(503);
    } finally {
      await host.close();
    }
  });
});

describe("startPreview's onListening (how npm start starts the browser early)", () => {
  it('is told the URL before the kiosk has installed its content, and a page asked for then gets the exhibit', async () => {
    const userData = path.join(fx.root, 'user');
    const store = path.join(fx.root, 'store');
    await writeFile(path.join(fx.contentDir, 'exhibit.yaml'), exhibitYaml('Asked early'));
    const lines: string[] = [];
    let early: Promise<Response> | undefined;
    let installedWhenListening: boolean | undefined;
    const preview = await startPreview({
      contentDir: fx.contentDir,
      rendererDir: fx.rendererDir,
      live: { userData, env: { VITRINE_CONTENT_STORE: store }, seedOnly: true, tuning: { pollMs: 0 } },
      log: (l) => lines.push(l),
      onListening: (url) => {
        lines.push(`listening ${url}`);
        installedWhenListening = existsSync(path.join(store, 'current.json'));
        // What the kiosk browser asks first, at the moment it could first connect.
        early = fetch(new URL('api/exhibit', url));
      },
    });
    try {
      expect(installedWhenListening).toBe(false);
      expect(lines[0]).toBe(`listening ${preview.url}`);
      expect(lines.at(-1)).toBe(`Vitrine preview: ${preview.url}`);
      const res = await early!;
      expect(res.status).toBe(200);
      const body = (await res.json()) as { exhibit: { title: { en: string } } };
      expect(body.exhibit.title.en).toBe('Asked early');
      expect(existsSync(path.join(store, 'current.json'))).toBe(true);
    } finally {
      await preview.close();
    }
  });

  it('stops starting, closes its port and frees the folder, when telling the browser fails', async () => {
    const userData = path.join(fx.root, 'user');
    const options = {
      contentDir: fx.contentDir,
      rendererDir: fx.rendererDir,
      live: { userData, env: { VITRINE_CONTENT_STORE: path.join(fx.root, 'store') }, seedOnly: true },
      quiet: true,
    };
    let told: string | undefined;
    await expect(
      startPreview({
        ...options,
        onListening: (url) => {
          told = url;
          throw new Error('no browser');
        },
      }),
    ).rejects.toThrow('no browser');
    // Nothing is left listening to hold a browser's requests forever.
    await expect(fetch(told!)).rejects.toThrow();
    // The next start on the same folder is not refused as a second kiosk.
    const again = await startPreview(options);
    await again.close();
  });

  it('is never told when the port cannot be had, so no browser is started', async () => {
    const taken = await startHttpHost({ handler: async () => new Response('busy'), port: 0 });
    let told = false;
    try {
      await expect(
        startPreview({
          port: taken.port,
          contentDir: fx.contentDir,
          rendererDir: fx.rendererDir,
          live: { userData: path.join(fx.root, 'user'), env: {}, seedOnly: true },
          quiet: true,
          onListening: () => (told = true),
        }),
      ).rejects.toThrow(`Port ${taken.port} is already in use`);
      expect(told).toBe(false);
    } finally {
      await taken.close();
    }
  });

  it('refuses a second kiosk on the same user-data folder before a browser is started for it', async () => {
    // Another kiosk holds the folder: it has just taken the lock (a young lock, its name not yet written).
    const userData = path.join(fx.root, 'user');
    await mkdir(path.join(userData, 'kiosk.lock'), { recursive: true });
    let told = false;
    await expect(
      startPreview({
        contentDir: fx.contentDir,
        rendererDir: fx.rendererDir,
        live: { userData, env: { VITRINE_CONTENT_STORE: path.join(fx.root, 'store') }, seedOnly: true },
        quiet: true,
        onListening: () => (told = true),
      }),
    ).rejects.toThrow('another Vitrine kiosk is already running on this user-data folder');
    // A browser started on the running kiosk's profile would have opened its window inside that kiosk.
    expect(told).toBe(false);
    expect(existsSync(path.join(fx.root, 'store'))).toBe(false);
  });
});

describe("npm start's kiosk when its port is taken", () => {
  /** `npm start -- --content <fixture> [flags]`, parsed as npm start parses it. */
  function flags(...extra: string[]) {
    const parsed = parseArgs(['--no-open', '--content', fx.contentDir, ...extra], {});
    if (!parsed.ok) throw new Error(parsed.message);
    return parsed.options;
  }
  const serve = (o: ReturnType<typeof flags>) =>
    serveKiosk(o, {
      actions: {},
      log: () => {},
      env: { VITRINE_CONTENT_STORE: path.join(fx.root, 'store') },
      userData: path.join(fx.root, 'user'),
      build: false,
    });

  it('says in one line that another program holds the port, and how to start on another', async () => {
    const taken = await startHttpHost({ handler: async () => new Response('busy'), port: 0 });
    try {
      await expect(serve(flags('--port', String(taken.port)))).rejects.toThrow(
        new PreviewError(
          `npm start: port ${taken.port} is already in use by another program, so the kiosk cannot start. Close that program, or start the kiosk on another port: npm start -- --port ${taken.port + 1}`,
        ),
      );
      // Nothing was installed for a kiosk that could not start.
      expect(existsSync(path.join(fx.root, 'store'))).toBe(false);
    } finally {
      await taken.close();
    }
  });

  it('refuses a second kiosk on the same user-data folder first, rather than blaming the port it holds', async () => {
    const taken = await startHttpHost({ handler: async () => new Response('the running kiosk'), port: 0 });
    // The running kiosk has just taken the lock: its name is not written yet.
    await mkdir(path.join(fx.root, 'user', 'kiosk.lock'), { recursive: true });
    try {
      await expect(serve(flags('--port', String(taken.port)))).rejects.toThrow(
        new PreviewError(
          `npm start: the kiosk is already running for this user (its data is in ${path.join(fx.root, 'user')}), so a second one cannot start. Close the running kiosk first, then start it again.`,
        ),
      );
    } finally {
      await taken.close();
    }
  });

  it("names the running kiosk's process in the one line a technician reads, not a ContentError", async () => {
    const userData = path.join(fx.root, 'user');
    // A Node process running `npm start`'s entry, as the lock sees a kiosk.
    const running = spawn(
      process.execPath,
      ['-e', 'setInterval(() => {}, 1000)', 'main/cli/start-entry.mjs'],
      {
        stdio: 'ignore',
      },
    );
    try {
      // What a running kiosk writes in its lock: its pid, in this boot.
      const boot = await readFile('/proc/sys/kernel/random/boot_id', 'utf8').then(
        (t) => t.trim(),
        () => undefined,
      );
      await mkdir(path.join(userData, 'kiosk.lock'), { recursive: true });
      await writeFile(
        path.join(userData, 'kiosk.lock', 'owner.json'),
        JSON.stringify({
          pid: running.pid,
          boot,
          bootTime: Date.now() - os.uptime() * 1000,
          at: new Date().toISOString(),
        }),
      );
      const refused = await serve(flags('--port', '0')).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(PreviewError);
      expect((refused as Error).message).toBe(
        `npm start: the kiosk is already running for this user (process ${running.pid}, data in ${userData}), so a second one cannot start. Close the running kiosk first (or end process ${running.pid}), then start it again.`,
      );
      // The running kiosk's store was not touched.
      expect(existsSync(path.join(fx.root, 'store'))).toBe(false);
    } finally {
      running.kill();
    }
  });
});

describe("npm start's browser lookup", () => {
  it("finds Playwright's Chromium where Playwright itself says it is, asked off the main thread", async () => {
    const { chromium } = await import('playwright-core');
    expect(await playwrightChromium()).toBe(chromium.executablePath());
  });

  it("asks Playwright once, then reuses its answer until Playwright's browser folder changes", async () => {
    const { chromium } = await import('playwright-core');
    const userData = path.join(fx.root, 'user');
    const file = path.join(userData, 'playwright-chromium.json');
    expect(await rememberedPlaywrightChromium(userData)).toBe(chromium.executablePath());
    await vi.waitFor(() => expect(existsSync(file)).toBe(true));
    // Browsers kept elsewhere: Playwright is asked again.
    const elsewhere = path.join(fx.root, 'browsers');
    vi.stubEnv('PLAYWRIGHT_BROWSERS_PATH', elsewhere);
    try {
      const found = await rememberedPlaywrightChromium(userData);
      expect(found).not.toBe(chromium.executablePath());
      expect(found?.startsWith(elsewhere)).toBe(true);
      // And its new answer is the one kept.
      await vi.waitFor(async () =>
        expect((JSON.parse(await readFile(file, 'utf8')) as { path: string }).path).toBe(found),
      );
    } finally {
      vi.unstubAllEnvs();
    }
  });

  describe('the kept answer, which anyone who can write the user-data folder could have replaced', () => {
    let browsers: string;
    let userData: string;
    let file: string;
    let asked: string | undefined;
    let key: string;
    beforeEach(async () => {
      browsers = path.join(fx.root, 'browsers');
      userData = path.join(fx.root, 'user');
      file = path.join(userData, 'playwright-chromium.json');
      vi.stubEnv('PLAYWRIGHT_BROWSERS_PATH', browsers);
      asked = await rememberedPlaywrightChromium(userData);
      await vi.waitFor(() => expect(existsSync(file)).toBe(true));
      key = (JSON.parse(await readFile(file, 'utf8')) as { key: string }).key;
      await rm(file);
    });
    afterEach(() => vi.unstubAllEnvs());

    /** An executable script at `file`. */
    async function executable(at: string) {
      await mkdir(path.dirname(at), { recursive: true });
      await writeFile(at, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
      return at;
    }

    /** What a start finds, failing rather than hanging if the read blocks. */
    const lookup = () =>
      Promise.race([
        rememberedPlaywrightChromium(userData),
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error('the start hung on the kept file')), 3000),
        ),
      ]);

    it("uses a kept path to an executable file in Playwright's browsers folder without asking again", async () => {
      const kept = await executable(path.join(browsers, 'chromium-1', 'chrome-linux', 'chrome'));
      await writeFile(file, JSON.stringify({ key, path: kept }));
      expect(await lookup()).toBe(kept);
      // Playwright's answer when its browser is not installed: kept too (the lookup then skips it).
      const absent = path.join(browsers, 'chromium-9', 'chrome-linux', 'chrome');
      await writeFile(file, JSON.stringify({ key, path: absent }));
      expect(await lookup()).toBe(absent);
    });

    it("never launches a kept path outside Playwright's browsers folder: Playwright is asked again", async () => {
      const evil = await executable(path.join(fx.root, 'evil.sh'));
      for (const kept of [evil, '/tmp', 'browsers/chromium-1/chrome-linux/chrome', '/bin/sh']) {
        await writeFile(file, JSON.stringify({ key, path: kept }));
        expect(await lookup()).toBe(asked);
      }
      // A link inside the folder that points out of it is outside too.
      const link = path.join(browsers, 'chromium-2', 'chrome');
      await mkdir(path.dirname(link), { recursive: true });
      await symlink(evil, link);
      await writeFile(file, JSON.stringify({ key, path: link }));
      expect(await lookup()).toBe(asked);
    });

    it('ignores a kept file that is a symlink, a FIFO, a folder or oversized, without hanging', async () => {
      const kept = await executable(path.join(browsers, 'chromium-1', 'chrome-linux', 'chrome'));
      const content = JSON.stringify({ key, path: kept });
      const elsewhere = path.join(fx.root, 'elsewhere.json');
      await writeFile(elsewhere, content);
      await symlink(elsewhere, file);
      expect(await lookup()).toBe(asked);
      // The answer is written in place of the link, never through it.
      await vi.waitFor(async () => expect((await lstat(file)).isSymbolicLink()).toBe(false));
      expect(await readFile(elsewhere, 'utf8')).toBe(content);
      await rm(file);
      execFileSync('mkfifo', [file]);
      expect(await lookup()).toBe(asked);
      await vi.waitFor(async () => expect((await lstat(file)).isFile()).toBe(true));
      await rm(file);
      await mkdir(file);
      expect(await lookup()).toBe(asked);
      await rm(file, { recursive: true });
      await writeFile(file, content.replace('{', `{"pad":"${'x'.repeat(64 * 1024)}",`));
      expect(await lookup()).toBe(asked);
    });
  });
});

describe('metrics, loaded only when asked for', () => {
  it("the kiosk's metrics carry the visit counters when metrics are on", async () => {
    const preview = await startPreview({
      contentDir: fx.contentDir,
      rendererDir: fx.rendererDir,
      live: {
        userData: path.join(fx.root, 'user'),
        env: { VITRINE_CONTENT_STORE: path.join(fx.root, 'store') },
        seedOnly: true,
        metricsPortFlag: 0,
      },
      quiet: true,
    });
    try {
      const text = await preview.services!.fleet.metrics!.registry.metrics();
      expect(text).toContain('vitrine_visits_total{ended="idle"} 0');
      expect(text).toContain('vitrine_renderer_restarts_total');
    } finally {
      await preview.close();
    }
  });
});
