/**
 * The kiosk's Prometheus metrics: a private prom-client registry (never the
 * global one, so two kiosks in one process, or a test, never mix) and its own
 * small listener on the address staff choose. It knows nothing of content or
 * staff: the composition root feeds it, through the callbacks read at each
 * scrape and the counters it bumps on events. Other parts add their own
 * metrics to {@link KioskMetrics.registry}.
 */
import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';

/** Where and how the metrics are served (`metrics` in config.json, `--metrics-port`). */
export interface MetricsSettings {
  port: number;
  /** Default 127.0.0.1. Any other address needs a token. */
  host?: string;
  /** Scrapers send `Authorization: Bearer TOKEN`. */
  token?: string;
}

/** The screen's states `vitrine_schedule_state` reports, one of them 1 at a time. */
const SCHEDULE_STATES = ['showing', 'update-waiting', 'update-applying', 'resting', 'scheduled-off'] as const;
/** See {@link SCHEDULE_STATES}. */
export type ScheduleState = (typeof SCHEDULE_STATES)[number];

/** What the metrics read at each scrape; each may answer undefined when it does not apply. */
export interface MetricsFeeds {
  /** The store version on screen and where it came from (`inbox`, `channel`, `folder`, ...). */
  content(): { version: string; contentVersion: string; source: string } | undefined;
  schedule(): ScheduleState;
  /** Unix ms of the last finished channel look (undefined before the first); leave out without a channel. */
  channelLastCheck?(): number | undefined;
  /** Seconds the channel has offered a version this kiosk does not show; 0 when in step. */
  channelBehindSeconds?(): number | undefined;
}

/** Results `vitrine_content_applies_total` counts. */
type ApplyResult = 'applied' | 'rejected' | 'rolled-back';

/** The registry and the event counters the composition root bumps. */
export interface KioskMetrics {
  /** Add more metrics here (e.g. visitor counts); they are served with the rest. */
  readonly registry: Registry;
  contentApplied(result: ApplyResult): void;
  rendererRestarted(reason: string): void;
  channelError(): void;
  /** The Prometheus text, as a scrape gets it. */
  text(): Promise<string>;
}

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::ffff:127.0.0.1';
}

/** Builds the registry with every kiosk metric, read from `feeds`. */
export function createKioskMetrics(feeds: MetricsFeeds, opts: { now?: () => number } = {}): KioskMetrics {
  const now = opts.now ?? Date.now;
  const started = now();
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  new Gauge({
    name: 'vitrine_up',
    help: 'Always 1 while the kiosk host runs; a missing sample means the kiosk is down.',
    registers: [registry],
    collect() {
      this.set(1);
    },
  });
  new Gauge({
    name: 'vitrine_uptime_seconds',
    help: 'Seconds since the kiosk host started.',
    registers: [registry],
    collect() {
      this.set((now() - started) / 1000);
    },
  });
  new Gauge({
    name: 'vitrine_content_version_info',
    help: 'The content on screen: 1 for its store version, exhibit version and where it came from.',
    labelNames: ['version', 'content_version', 'source'],
    registers: [registry],
    collect() {
      this.reset();
      const c = feeds.content();
      if (c) this.set({ version: c.version, content_version: c.contentVersion, source: c.source }, 1);
    },
  });
  const applies = new Counter({
    name: 'vitrine_content_applies_total',
    help: 'Content versions installed, refused and rolled back since start.',
    labelNames: ['result'],
    registers: [registry],
  });
  for (const r of ['applied', 'rejected', 'rolled-back'] satisfies ApplyResult[])
    applies.inc({ result: r }, 0);
  const restarts = new Counter({
    name: 'vitrine_renderer_restarts_total',
    help: 'Times the kiosk screen was reloaded or relaunched after a crash, hang or failed load.',
    labelNames: ['reason'],
    registers: [registry],
  });
  for (const r of ['crash', 'hang', 'load-failed', 'start-failed']) restarts.inc({ reason: r }, 0);
  // The channel's metrics exist only on a kiosk that follows one, so a dashboard can tell "no channel" from "0".
  const channel = Boolean(feeds.channelLastCheck);
  const channelRegisters = channel ? [registry] : [];
  new Gauge({
    name: 'vitrine_channel_last_check_timestamp_seconds',
    help: 'Unix time of the last finished look at the channel (absent without a channel).',
    registers: channelRegisters,
    collect() {
      this.reset();
      const t = feeds.channelLastCheck?.();
      if (t !== undefined) this.set(t / 1000);
    },
  });
  const channelErrors = new Counter({
    name: 'vitrine_channel_errors_total',
    help: 'Failed looks at the channel (server down, slow, garbage, wrong hash or signature).',
    registers: channelRegisters,
  });
  new Gauge({
    name: 'vitrine_channel_behind_seconds',
    help: 'Seconds the channel has offered a version this kiosk does not show yet (0 when in step).',
    registers: channelRegisters,
    collect() {
      this.reset();
      const s = feeds.channelBehindSeconds?.();
      if (s !== undefined) this.set(s);
    },
  });
  new Gauge({
    name: 'vitrine_schedule_state',
    help: 'What the screen is doing: 1 for the current state (showing, update-waiting, update-applying, resting, scheduled-off: black outside opening hours).',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const current = feeds.schedule();
      for (const s of SCHEDULE_STATES) this.set({ state: s }, s === current ? 1 : 0);
    },
  });

  return {
    registry,
    contentApplied: (result) => applies.inc({ result }),
    rendererRestarted: (reason) => restarts.inc({ reason }),
    channelError: () => channelErrors.inc(),
    text: () => registry.metrics(),
  };
}

/** A running metrics listener. */
export interface MetricsServer {
  /** The address scrapers use, e.g. `http://127.0.0.1:9464/metrics`. */
  url: string;
  close(): Promise<void>;
}

/** Why the metrics cannot be served as configured, or undefined. */
export function metricsRefusal(settings: MetricsSettings): string | undefined {
  const host = settings.host ?? '127.0.0.1';
  if (!isLoopback(host) && !settings.token) {
    return `metrics not started: serving them on ${host} (reachable from other machines) needs a "token" in "metrics" in config.json, which scrapers send as a bearer token`;
  }
  return undefined;
}

/**
 * Serves `GET /metrics` on `settings.host:port`. Refuses (rejects) to start
 * on a non-loopback address without a token. With a token, every request
 * must carry it (`Authorization: Bearer TOKEN`), or gets 401.
 */
export async function serveMetrics(metrics: KioskMetrics, settings: MetricsSettings): Promise<MetricsServer> {
  const refusal = metricsRefusal(settings);
  if (refusal) throw new Error(refusal);
  const host = settings.host ?? '127.0.0.1';
  const expected = settings.token ? Buffer.from(`Bearer ${settings.token}`) : undefined;
  const server = http.createServer((req, res) => {
    if (expected) {
      const got = Buffer.from(req.headers.authorization ?? '');
      if (got.length !== expected.length || !timingSafeEqual(got, expected)) {
        res.writeHead(401, { 'www-authenticate': 'Bearer realm="vitrine"', 'content-type': 'text/plain' });
        res.end('a bearer token is needed\n');
        return;
      }
    }
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('see /metrics\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    metrics.text().then(
      (text) => {
        res.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      (err: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${String(err)}\n`);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}/metrics`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
