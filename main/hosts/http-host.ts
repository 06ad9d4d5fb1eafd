/**
 * The browser host: serves the shared handler over node:http on 127.0.0.1
 * only, turning each IncomingMessage into a web Request and streaming the
 * web Response back with backpressure.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Handler } from '../handler/handler.js';
import { SECURITY_HEADERS } from '../handler/headers.js';

/** Options for {@link startHttpHost}. */
export interface HttpHostOptions {
  /**
   * The handler, or a promise of it: the port can then be bound (and a browser
   * pointed at it) while the kiosk's services still start. Requests that
   * arrive before it resolves wait for it, never refused; if it rejects they
   * get a 503 (the host is being shut down then).
   */
  handler: Handler | Promise<Handler>;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Only the loopback address: a kiosk must never be reachable from the network. */
  host?: '127.0.0.1';
}

/** A running browser host. */
export interface HttpHost {
  /** `http://127.0.0.1:PORT/` */
  url: string;
  port: number;
  server: Server;
  /** Stops listening and ends open connections (event streams included). */
  close(): Promise<void>;
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}

/** Converts a node request into a web Request whose signal aborts when the client goes away. */
function toWebRequest(req: IncomingMessage, origin: string, signal: AbortSignal): Request {
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    if (!name.startsWith(':')) headers.append(name, req.rawHeaders[i + 1]!);
  }
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  return new Request(origin + (req.url ?? '/'), {
    method,
    headers,
    signal,
    body: hasBody ? (Readable.toWeb(req) as unknown as ReadableStream<Uint8Array>) : undefined,
    // Required by fetch for a streamed request body.
    ...(hasBody ? { duplex: 'half' } : {}),
  } as RequestInit);
}

/** Writes a web Response to a node response, streaming its body. */
async function writeWebResponse(
  response: Response,
  res: ServerResponse,
  method: string | undefined,
): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  res.writeHead(response.status, response.statusText || undefined, headers);
  if (!response.body || method === 'HEAD') {
    await response.body?.cancel();
    res.end();
    return;
  }
  // Headers go out now, so an event stream is seen as open before its first event.
  res.flushHeaders();
  try {
    await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), res);
  } catch {
    // The client left mid-body (or the body failed): the socket is already torn down.
    res.destroy();
  }
}

/**
 * Starts the host. Rejects with the listen error (e.g. `code: 'EADDRINUSE'`)
 * when the port cannot be had.
 */
export async function startHttpHost(opts: HttpHostOptions): Promise<HttpHost> {
  const bind = opts.host ?? '127.0.0.1';
  let allowedHosts = new Set<string>();
  let handler = typeof opts.handler === 'function' ? opts.handler : undefined;
  const pending = typeof opts.handler === 'function' ? undefined : opts.handler;
  // A handler that fails to come is answered with a 503 per request below; that must not end the process too.
  pending?.then(
    (h) => (handler = h),
    () => {},
  );

  const server = createServer((req, res) => {
    // Refusing foreign Host names blocks DNS-rebinding pages from reading the kiosk's API.
    if (!allowedHosts.has((req.headers.host ?? '').toLowerCase())) {
      plain(res, 421, 'This kiosk answers only at 127.0.0.1 or localhost.');
      return;
    }
    if (!req.url?.startsWith('/')) {
      plain(res, 400, 'Bad request target.');
      return;
    }
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    const port = (server.address() as AddressInfo).port;
    void (async () => {
      try {
        const serve = handler ?? (await pending!.catch(() => undefined));
        if (!serve) {
          plain(res, 503, 'The kiosk is not running.');
          return;
        }
        const request = toWebRequest(req, `http://${bind}:${port}`, abort.signal);
        const response = await serve(request);
        await writeWebResponse(response, res, req.method);
      } catch (err) {
        if (!res.headersSent) plain(res, 500, 'Internal error.');
        else res.destroy(err as Error);
      }
    })();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, bind, () => {
      server.off('error', reject);
      resolve();
    });
  });

  const port = (server.address() as AddressInfo).port;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  // Browsers leave the default port out of the Host header.
  if (port === 80) for (const name of ['127.0.0.1', 'localhost']) allowedHosts.add(name);
  return {
    url: `http://${bind}:${port}/`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
