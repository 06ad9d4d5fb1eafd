/**
 * GET over node:http/node:https that honours `HTTPS_PROXY`, `HTTP_PROXY` and
 * `NO_PROXY` (Node's own `fetch` ignores them) and a museum's own CA. An
 * `https:` address goes through the proxy in a CONNECT tunnel, with TLS
 * checked end to end against the kiosk's trust (the proxy never sees the
 * content); an `http:` address is asked of the proxy by its full URL.
 */
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';

/** What a GET answered: the body is read (or dropped) by the caller. */
interface HttpAnswer {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  body: AsyncIterable<Buffer>;
  /** Drops the rest of the body and the connection. */
  abort(): void;
}

/** Options of one GET. */
interface HttpGetOptions {
  headers?: Record<string, string>;
  /** The longest silence (connecting, or between two chunks) before giving up. */
  timeoutMs: number;
}

/** A GET: the follower's whole view of the network, so tests can replace it. */
export type HttpGet = (url: string, opts: HttpGetOptions) => Promise<HttpAnswer>;

/** Where the proxy settings and the extra CA come from. */
export interface TransportOptions {
  /** Read for `HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY` (either case). */
  env?: Record<string, string | undefined>;
  /** Extra trusted CA certificates (PEM), e.g. the museum's own; the system's stay trusted too. */
  ca?: string;
}

/** The proxy URL to use for `target`, or undefined for a direct connection. */
export function proxyFor(target: URL, env: Record<string, string | undefined>): URL | undefined {
  const get = (name: string) => env[name] ?? env[name.toLowerCase()];
  const raw = target.protocol === 'https:' ? (get('HTTPS_PROXY') ?? get('HTTP_PROXY')) : get('HTTP_PROXY');
  if (!raw?.trim()) return undefined;
  if (bypassesProxy(target, get('NO_PROXY') ?? '')) return undefined;
  try {
    return new URL(raw.includes('://') ? raw : `http://${raw}`);
  } catch {
    return undefined;
  }
}

/** True when `NO_PROXY` (comma-separated hosts, `.suffix`, `host:port`, `*`) covers `target`. */
export function bypassesProxy(target: URL, noProxy: string): boolean {
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  for (const entry of noProxy
    .split(/[,\s]+/)
    .map((e) => e.trim().toLowerCase())
    .filter(Boolean)) {
    if (entry === '*') return true;
    const [name, entryPort] = entry.startsWith('[')
      ? [entry.slice(1, entry.indexOf(']')), entry.split(']:')[1]]
      : (entry.split(':') as [string, string | undefined]);
    if (entryPort && entryPort !== port) continue;
    const bare = name.replace(/^\*?\./, '');
    if (host === bare || host.endsWith(`.${bare}`)) return true;
  }
  return false;
}

/** Opens a CONNECT tunnel through `proxy` to `host:port`. */
function connectTunnel(proxy: URL, host: string, port: string, timeoutMs: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const auth = proxy.username
      ? {
          'proxy-authorization': `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}`,
        }
      : {};
    const req = (proxy.protocol === 'https:' ? https : http).request({
      host: proxy.hostname,
      port: proxy.port || (proxy.protocol === 'https:' ? 443 : 80),
      method: 'CONNECT',
      path: `${host}:${port}`,
      headers: { host: `${host}:${port}`, ...auth },
      timeout: timeoutMs,
    });
    req.on('connect', (res: IncomingMessage, socket: Duplex) => {
      if (res.statusCode === 200) return resolve(socket);
      socket.destroy();
      reject(new Error(`the proxy ${proxy.host} refused the tunnel (${res.statusCode})`));
    });
    req.on('timeout', () => req.destroy(new Error(`the proxy ${proxy.host} did not answer in time`)));
    req.on('error', (err) => reject(new Error(`the proxy ${proxy.host} cannot be reached: ${err.message}`)));
    req.end();
  });
}

/** The default {@link HttpGet}: node:http/node:https with the proxy and CA of `opts`. */
export function createHttpGet(opts: TransportOptions = {}): HttpGet {
  const env = opts.env ?? process.env;
  const ca = opts.ca ? [...tls.rootCertificates, opts.ca] : undefined;
  return async (address, { headers = {}, timeoutMs }) => {
    const target = new URL(address);
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      throw new Error(`${target.protocol} addresses are not supported; use http:// or https://`);
    }
    const secure = target.protocol === 'https:';
    const proxy = proxyFor(target, env);
    const port = target.port || (secure ? '443' : '80');
    const base: https.RequestOptions = {
      method: 'GET',
      headers: { 'user-agent': 'Vitrine kiosk', ...headers },
      timeout: timeoutMs,
      agent: false,
      ...(ca ? { ca } : {}),
    };
    let request: http.ClientRequest;
    let tunnel: Duplex | undefined;
    if (proxy && secure) {
      tunnel = await connectTunnel(proxy, target.hostname, port, timeoutMs);
      request = https.request(address, {
        ...base,
        createConnection: () =>
          tls.connect({ socket: tunnel!, servername: target.hostname, ...(ca ? { ca } : {}) }),
      });
    } else if (proxy) {
      request = http.request({
        ...base,
        host: proxy.hostname,
        port: proxy.port || 80,
        path: target.href,
        headers: { ...base.headers, host: target.host },
      });
    } else {
      request = (secure ? https : http).request(address, base);
    }
    return new Promise<HttpAnswer>((resolve, reject) => {
      request.on('timeout', () =>
        request.destroy(new Error(`no answer from ${target.host} in ${timeoutMs} ms`)),
      );
      request.on('error', (err) => {
        tunnel?.destroy();
        reject(err);
      });
      request.on('response', (res) => {
        // One tunnel per request: it closes with its answer, so polling never piles up connections.
        res.on('close', () => tunnel?.destroy());
        resolve({
          status: res.statusCode ?? 0,
          headers: Object.fromEntries(
            Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]),
          ),
          body: res,
          abort: () => {
            res.destroy();
            request.destroy();
          },
        });
      });
      request.end();
    });
  };
}
