/**
 * Twenty kiosks, one curator, in miniature: a real nginx serves a channel
 * (the site config shown in docs/fleet.md), two kiosks (`npm start`'s browser
 * host, assembled by `serveKiosk`) follow it, and real Chromium shows what
 * each kiosk draws. A new version reaches both (one mid-visit, after its idle
 * reset); a version the screen cannot draw is rolled back on both and
 * reported; with nginx stopped both keep showing the last good version and
 * report the error in the staff status and in their metrics.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Preview } from '../../main/cli/preview.js';
import { runContentCli } from '../../main/kiosk/content-cli.js';
import { serveKiosk } from '../../main/cli/start.js';
import { writeKeyPair } from '../../main/content/signing.js';
import { parseArgs } from '../../main/kiosk/flags.js';
import { exhibitYaml, makeContent } from '../unit/content-fixtures.js';
import { longPress, tap } from './touch.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const parseMetrics = createRequire(import.meta.url)('parse-prometheus-text-format') as (
  text: string,
) => { name: string; metrics: { value: string; labels?: Record<string, string> }[] }[];

/** nginx from the nginx-light package, or on PATH. */
function findNginx(): string | undefined {
  if (existsSync('/usr/sbin/nginx')) return '/usr/sbin/nginx';
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, 'nginx'))) return path.join(dir, 'nginx');
  }
  return undefined;
}
const nginxBinary = findNginx();

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** The site config docs/fleet.md shows, on `port` and serving `www`. */
async function siteConfig(port: number, www: string): Promise<string> {
  const doc = await readFile(path.join(root, 'docs', 'fleet.md'), 'utf8');
  const site = /```nginx\n([\s\S]*?)```/.exec(doc)?.[1];
  if (!site) throw new Error('docs/fleet.md shows no nginx site config');
  const ours = site
    .replace(/listen 80;/, `listen 127.0.0.1:${port};`)
    .replace(/root \/srv\/vitrine;/, `root ${www};`);
  if (ours === site || !ours.includes(www)) throw new Error('the nginx site config changed shape');
  return ours;
}

/** A real nginx in the foreground, with its pid, logs and temp files in `dir`. */
async function startNginx(dir: string, www: string) {
  const port = await freePort();
  await mkdir(path.join(dir, 'tmp'), { recursive: true });
  const conf = path.join(dir, 'nginx.conf');
  const t = (n: string) => path.join(dir, 'tmp', n);
  await writeFile(
    conf,
    `daemon off;
worker_processes 1;
user ${os.userInfo().username};
pid ${path.join(dir, 'nginx.pid')};
error_log ${path.join(dir, 'error.log')} warn;
events { worker_connections 64; }
http {
  access_log ${path.join(dir, 'access.log')};
  client_body_temp_path ${t('body')};
  proxy_temp_path ${t('proxy')};
  fastcgi_temp_path ${t('fastcgi')};
  uwsgi_temp_path ${t('uwsgi')};
  scgi_temp_path ${t('scgi')};
  default_type application/octet-stream;
${await siteConfig(port, www)}
}
`,
  );
  const child = spawn(nginxBinary!, ['-p', `${dir}/`, '-c', conf, '-e', path.join(dir, 'error.log')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += String(d)));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const up = await fetch(`${base}/none`).then(
      (r) => r.status === 404,
      () => false,
    );
    if (up) break;
    if (i > 100 || child.exitCode !== null) {
      const log = await readFile(path.join(dir, 'error.log'), 'utf8').catch(() => '');
      throw new Error(`nginx did not start: ${stderr}${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  return { base, child, stop, accessLog: path.join(dir, 'access.log') };
}

interface Kiosk {
  name: string;
  preview: Preview;
  page: Page;
  metricsPort?: number;
}

interface Fixtures {
  work: string;
}

const test = base.extend<Fixtures>({
  work: async ({}, use) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-fleet-e2e-'));
    await use(dir);
    await rm(dir, { recursive: true, force: true });
  },
});

test.use({ viewport: { width: 1920, height: 1080 }, hasTouch: true });

/** A content folder whose title says which version it is, so the screen shows it. */
async function content(dir: string, version: string, title: string) {
  await makeContent(dir, { version });
  await writeFile(
    path.join(dir, 'exhibit.yaml'),
    exhibitYaml({ version }).replace(
      'title: { en: Test, ru: Тест }',
      `title: { en: ${title}, ru: ${title} }`,
    ),
  );
  return dir;
}

test('two kiosks follow a channel on nginx: a new version, a rollback, and the server gone', async ({
  browser,
  work,
}, testInfo) => {
  test.skip(!nginxBinary, 'nginx is not installed (apt-get install nginx-light; .ci/run installs it)');
  // It runs in about a minute; the margin is for a loaded CI machine.
  test.setTimeout(120_000);

  const keys = await writeKeyPair(path.join(work, 'keys'));
  const www = path.join(work, 'www');
  const publish = async (dir: string) => {
    const lines: string[] = [];
    const code = await runContentCli(
      ['publish', dir, '--to', www, '--key', keys.privateKeyFile, '--channel', 'all'],
      { log: (l) => lines.push(l), err: (l) => lines.push(l) },
    );
    expect(code, lines.join('\n')).toBe(0);
  };
  await publish(await content(path.join(work, 'v1'), '1', 'Fleet one'));
  const nginx = await startNginx(path.join(work, 'nginx'), www);
  const channelUrl = `${nginx.base}/all/channel.json`;

  const kiosks: Kiosk[] = [];
  try {
    for (const name of ['a', 'b']) {
      const userData = path.join(work, name, 'user');
      await mkdir(userData, { recursive: true });
      const metricsPort = name === 'a' ? await freePort() : undefined;
      await writeFile(
        path.join(userData, 'config.json'),
        JSON.stringify({
          channel: channelUrl,
          publicKeys: [await readFile(keys.publicKeyFile, 'utf8')],
          ...(metricsPort ? { metrics: { port: metricsPort } } : {}),
        }),
      );
      const folder = path.join(work, name, 'content');
      await cp(path.join(work, 'v1'), folder, { recursive: true });
      const args = parseArgs(
        ['--no-open', '--port', '0', '--content', folder, '--idle-seconds', '5', '--countdown-seconds', '3'],
        {},
        root,
      );
      if (!args.ok) throw new Error(args.message);
      const preview = await serveKiosk(args.options, {
        actions: {},
        defaultPort: 0,
        log: () => {},
        env: { VITRINE_CONTENT_STORE: path.join(work, name, 'store') },
        userData,
        tuning: { pollMs: 500, channelPollMs: 700, channelErrorMs: 700, channelTimeoutMs: 2000 },
        build: false,
      });
      const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, hasTouch: true });
      const page = await context.newPage();
      kiosks.push({ name, preview, page, metricsPort });
      await page.goto(preview.url);
      await expect(page.getByTestId('attract')).toBeVisible();
    }
    const status = (k: Kiosk) => {
      const s = k.preview.services!;
      return { content: s.live.status(), channel: s.fleet.channelStatus(s.live.status()) };
    };
    // The channel offers what both already show (the same content makes the same version): in step.
    for (const k of kiosks) {
      await expect
        .poll(() => status(k).channel?.lastCheck?.ok && status(k).channel?.available?.version, {
          timeout: 15_000,
        })
        .toBe(status(k).content.version);
      await expect(k.page.locator('body')).toContainText('Fleet one');
    }

    // Kiosk a has a visitor mid-visit; kiosk b is on its attract loop.
    const [a, b] = kiosks as [Kiosk, Kiosk];
    await tap(a.page, { x: 960, y: 540 });
    await expect(a.page.getByTestId('app')).not.toHaveAttribute('data-screen', 'attract');

    await publish(await content(path.join(work, 'v2'), '2', 'Fleet two'));
    await expect(b.page.locator('body')).toContainText('Fleet two', { timeout: 15_000 });
    // The visitor at kiosk a keeps what they were reading until the kiosk resets by itself.
    await expect.poll(() => status(a).channel?.waiting?.contentVersion, { timeout: 10_000 }).toBe('2');
    await expect(a.page.locator('body')).not.toContainText('Fleet two');
    await expect(a.page.getByTestId('attract')).toBeVisible({ timeout: 20_000 });
    await expect(a.page.locator('body')).toContainText('Fleet two');
    for (const k of kiosks)
      await expect.poll(() => status(k).content.confirmed, { timeout: 10_000 }).toBe(true);
    const good = kiosks.map((k) => status(k).content.version);

    // The next version breaks the screen (its exhibit cannot be loaded, as if its data broke the renderer).
    for (const k of kiosks) await k.page.route('**/api/exhibit', (route) => route.abort());
    await publish(await content(path.join(work, 'v3'), '3', 'Fleet three'));
    for (const [i, k] of kiosks.entries()) {
      await expect.poll(() => status(k).content.autoRollback?.restored, { timeout: 20_000 }).toBe(good[i]);
      expect(status(k).content.version).toBe(good[i]);
      expect(
        k.preview
          .services!.errors.list(20)
          .map((e) => e.message)
          .join('\n'),
      ).toMatch(/failed to render/);
      await k.page.unroute('**/api/exhibit');
      await expect(k.page.locator('body')).toContainText('Fleet two');
    }

    // The server goes away: both keep showing the last good version and report it.
    const errorsBefore = kiosks.map((k) => status(k).channel!.errors);
    await nginx.stop();
    for (const [i, k] of kiosks.entries()) {
      await expect.poll(() => status(k).channel?.lastCheck?.ok, { timeout: 10_000 }).toBe(false);
      expect(status(k).channel!.errors).toBeGreaterThan(errorsBefore[i]!);
      expect(status(k).channel!.lastCheck!.message).toMatch(/cannot reach the channel/);
      await expect(k.page.locator('body')).toContainText('Fleet two');
      expect(status(k).content.version).toBe(good[i]);
    }
    const scrape = await fetch(`http://127.0.0.1:${a.metricsPort}/metrics`).then((r) => r.text());
    const families = new Map(parseMetrics(scrape).map((f) => [f.name, f]));
    expect(Number(families.get('vitrine_channel_errors_total')?.metrics[0]?.value)).toBeGreaterThan(0);
    expect(families.get('vitrine_up')?.metrics[0]?.value).toBe('1');
    const applies = families.get('vitrine_content_applies_total')!.metrics;
    expect(Number(applies.find((m) => m.labels?.result === 'rolled-back')?.value)).toBeGreaterThanOrEqual(1);
    expect(families.get('vitrine_content_version_info')?.metrics[0]?.labels).toMatchObject({
      version: good[0],
      content_version: '2',
    });

    // What staff see: the Channel card in the panel, landscape and portrait.
    for (const [k, size] of [
      [a, { width: 1920, height: 1080 }],
      [b, { width: 1080, height: 1920 }],
    ] as const) {
      await k.page.setViewportSize(size);
      await longPress(k.page, { x: 40, y: 40 }, 3300);
      await tap(k.page, { x: size.width - 40, y: 40 });
      for (const d of '1945') await tap(k.page, await centre(k.page, `pin-${d}`));
      await tap(k.page, await centre(k.page, 'pin-enter'));
      await expect(k.page.getByTestId('staff-panel')).toBeVisible();
      // A fresh kiosk asks for its own PIN before anything else.
      if (await k.page.getByTestId('staff-first-run').isVisible()) {
        for (const [field, pin] of [
          ['current', '1945'],
          ['next', '2468'],
          ['again', '2468'],
        ] as const) {
          await tap(k.page, await centre(k.page, `staff-pin-field-${field}`));
          for (const d of pin) await tap(k.page, await centre(k.page, `staff-key-${d}`));
        }
        await tap(k.page, await centre(k.page, 'staff-pin-save'));
      }
      const card = k.page.getByTestId('staff-channel');
      await expect(card).toBeVisible();
      await expect(k.page.getByTestId('staff-channel-url')).toContainText(channelUrl);
      await expect(k.page.getByTestId('staff-channel-last-check')).toContainText('cannot reach the channel');
      await expect(k.page.getByTestId('staff-channel-rolled-back')).toBeVisible();
      await card.scrollIntoViewIfNeeded();
      await k.page.screenshot({
        path: testInfo.outputPath(`staff-channel-${size.width}x${size.height}.png`),
      });
    }
  } finally {
    await nginx.stop();
    for (const k of kiosks) {
      await k.page.context().close();
      await k.preview.close();
    }
  }
});

async function centre(page: Page, testId: string) {
  const box = await page.getByTestId(testId).boundingBox();
  if (!box) throw new Error(`${testId} is not on screen`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}
