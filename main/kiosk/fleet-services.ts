/**
 * The fleet side of a kiosk, started only when configured: following a
 * channel (`channel` in config.json or `--channel URL`) and serving
 * Prometheus metrics (`metrics` in config.json or `--metrics-port N`). A kiosk
 * with neither opens no socket and makes no request here. Part of the
 * composition root: it feeds the metrics from the live content and hands the
 * follower's verified packages to the same install as the inbox.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ChannelStatus, ContentStatus } from '../contract/staff.js';
import type { LiveContent } from '../content/live.js';
import { applyContent } from '../content/store.js';
import { createChannelFollower, type ChannelFollower } from '../fleet/follow.js';
import { createHttpGet } from '../fleet/http-get.js';
import type { KioskMetrics, MetricsServer, ScheduleState } from '../metrics/metrics.js';
import { configuredPublicKeys, type KioskConfig } from './config.js';
import { packageRoot } from './paths.js';

/** Faster channel timings, for tests. */
export interface FleetTuning {
  channelPollMs?: number;
  channelErrorMs?: number;
  channelTimeoutMs?: number;
}

/** What {@link startFleet} starts from. */
export interface FleetOptions {
  config: KioskConfig;
  userData: string;
  store: string;
  live: LiveContent;
  /** `--channel URL` and `--metrics-port N`; they win over config.json. */
  channelFlag?: string;
  metricsPortFlag?: number;
  env: Record<string, string | undefined>;
  onError(source: string, message: string): void;
  log(line: string): void;
  tuning?: FleetTuning;
  now?: () => number;
  /** True outside opening hours (the screen is black by design). */
  scheduledOff?: () => boolean;
}

/** The running fleet services; each part undefined when not configured. */
export interface FleetServices {
  follower?: ChannelFollower;
  /** The registry and counters; undefined without metrics. */
  metrics?: KioskMetrics;
  metricsServer?: MetricsServer;
  /** The staff panel's view of the channel, with what waits for the idle reset. */
  channelStatus(content: ContentStatus): ChannelStatus | undefined;
  close(): Promise<void>;
}

/** This kiosk's software version (package.json), which channels compare with `minKioskVersion`. */
export function kioskVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** A short name for where a version came from, for a metric label (few values, no paths). */
function sourceKind(from: string | undefined, action: string | undefined): string {
  if (action === 'auto-rollback' || action === 'rollback') return 'rollback';
  if (!from) return 'unknown';
  if (from.startsWith('channel')) return 'channel';
  if (from.startsWith('inbox')) return 'inbox';
  return 'folder';
}

/** Starts what config.json and the flags ask for, and nothing else. */
export async function startFleet(opts: FleetOptions): Promise<FleetServices> {
  const now = opts.now ?? Date.now;
  const url = opts.channelFlag ?? opts.config.channel;
  const metricsSettings =
    opts.metricsPortFlag !== undefined
      ? { ...opts.config.metrics, port: opts.metricsPortFlag }
      : opts.config.metrics;

  let metrics: KioskMetrics | undefined;
  let follower: ChannelFollower | undefined;
  let notStarted: string | undefined;
  /** Since when the channel has offered a version that is not on screen. */
  let behindSince: number | undefined;

  const noteBehind = (content: ContentStatus, available: ChannelStatus['available']) => {
    if (!available || available.version === content.version) behindSince = undefined;
    else behindSince ??= now();
  };

  // Loaded only when metrics are on: prom-client is a cost every start would pay for nothing.
  const prometheus = metricsSettings ? await import('../metrics/metrics.js') : undefined;
  if (metricsSettings && prometheus) {
    metrics = prometheus.createKioskMetrics(
      {
        content() {
          const s = opts.live.status();
          if (!s.version) return undefined;
          const meta = s.history.find((h) => h.version === s.version);
          return {
            version: s.version,
            contentVersion: s.contentVersion ?? '',
            source: sourceKind(meta?.source ?? s.installedFrom, meta?.action),
          };
        },
        schedule(): ScheduleState {
          if (opts.scheduledOff?.()) return 'scheduled-off';
          const pending = opts.live.status().pending;
          if (!pending) return 'showing';
          return pending.state === 'applying' ? 'update-applying' : 'update-waiting';
        },
        ...(url
          ? {
              channelLastCheck: () => {
                const at = follower?.status().lastCheck?.at;
                return at ? Date.parse(at) : undefined;
              },
              channelBehindSeconds: () => {
                if (!follower) return undefined;
                noteBehind(opts.live.status(), follower.status().available);
                return behindSince === undefined ? 0 : (now() - behindSince) / 1000;
              },
            }
          : {}),
      },
      { now },
    );
    // Count applies, refusals and rollbacks from what the live content records.
    const seen = new Set<string>();
    const key = (h: ContentStatus['history'][number]) => `${h.at}|${h.version}|${h.action}`;
    let lastReport = opts.live.status().report?.at;
    for (const h of opts.live.status().history) seen.add(key(h));
    opts.live.onChange(() => {
      const s = opts.live.status();
      for (const h of [...s.history].reverse()) {
        if (seen.has(key(h))) continue;
        seen.add(key(h));
        metrics!.contentApplied(h.action === 'apply' ? 'applied' : 'rolled-back');
      }
      if (s.report && s.report.at !== lastReport) {
        lastReport = s.report.at;
        if (!s.report.ok) metrics!.contentApplied('rejected');
      }
    });
  }

  if (url) {
    const keys = configuredPublicKeys(opts.config, (message) => opts.onError('channel', message)).publicKeys;
    let ca: string | undefined;
    if (opts.config.channelCa) {
      const file = path.resolve(opts.userData, opts.config.channelCa);
      ca = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
        opts.onError('channel', `channelCa ${file} cannot be read (${err.code ?? String(err)})`);
        return undefined;
      });
    }
    if (keys.length === 0) {
      notStarted =
        'not following: the kiosk has no public key to check packages with; add "publicKeys" to config.json (the text of vitrine-content.pub)';
      opts.onError('channel', notStarted);
      opts.log(`Channel ${url}: ${notStarted}`);
    } else {
      follower = createChannelFollower({
        url,
        downloads: path.join(opts.store, 'downloads'),
        publicKeys: keys,
        kioskVersion: kioskVersion(),
        currentVersion: () => opts.live.status().version,
        // The inbox's install: the same store checks, then the live content serves it from the next idle reset.
        install: async (file, c) => {
          const result = await applyContent(file, opts.store, {
            source: `channel ${c.channel} ${url}`,
            publicKeys: keys,
            refuseRolledBack: true,
            fingerprint: { sha256: c.sha256, name: c.package },
          });
          await opts.live.poll();
          return result;
        },
        get: createHttpGet({ env: opts.env, ca }),
        pollMs: opts.tuning?.channelPollMs,
        errorMs: opts.tuning?.channelErrorMs,
        timeoutMs: opts.tuning?.channelTimeoutMs,
        log: opts.log,
        onError: (message) => {
          opts.onError('channel', message);
          metrics?.channelError();
        },
        onRefused: () => metrics?.contentApplied('rejected'),
      });
      opts.log(`Following the channel ${url}.`);
    }
  }

  let metricsServer: MetricsServer | undefined;
  if (metrics && metricsSettings && prometheus) {
    const refusal = prometheus.metricsRefusal(metricsSettings);
    if (refusal) {
      opts.log(refusal);
      opts.onError('host', refusal);
    } else {
      try {
        metricsServer = await prometheus.serveMetrics(metrics, metricsSettings);
        opts.log(`Metrics at ${metricsServer.url}`);
      } catch (err) {
        const message = `metrics not started: ${(err as Error).message}`;
        opts.log(message);
        opts.onError('host', message);
      }
    }
  }

  return {
    follower,
    metrics,
    metricsServer,
    channelStatus(content) {
      if (!url) return undefined;
      if (!follower)
        return {
          url,
          errors: 1,
          lastCheck: { at: new Date(now()).toISOString(), ok: false, message: notStarted ?? '' },
        };
      const s = follower.status();
      noteBehind(content, s.available);
      const pending = content.pending;
      if (s.installed && pending?.state === 'waiting' && pending.version === s.installed.version) {
        s.waiting = {
          version: pending.version,
          contentVersion: s.installed.contentVersion,
          since: pending.since,
        };
      }
      const rb = content.autoRollback;
      if (rb && rb.version === s.available?.version) {
        s.rolledBack = { version: rb.version, at: rb.at, reason: rb.reason };
      }
      return s;
    },
    async close() {
      follower?.close();
      await metricsServer?.close();
    },
  };
}
