/**
 * The follower's network path through a museum's proxy and its own CA: an
 * `https:` channel goes through a CONNECT tunnel (TLS checked end to end
 * against the extra CA), an `http:` one is asked of the proxy by its full
 * URL, and `NO_PROXY` hosts are reached directly. The proxy here is a tiny
 * one on 127.0.0.1 that records what it was asked.
 */
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bypassesProxy, createHttpGet, proxyFor } from '../../main/fleet/http-get.js';
import { cleanup, tempDir } from './content-fixtures.js';

let work: string;
let ca: string;
let httpsServer: https.Server;
let httpServer: http.Server;
let proxy: http.Server;
let proxyUrl: string;
const asked: string[] = [];
const sockets = new Set<net.Socket>();
const port = (s: net.Server) => (s.address() as AddressInfo).port;
const listen = (s: net.Server) => new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));

beforeAll(async () => {
  work = await tempDir('vitrine-proxy-');
  const f = (n: string) => path.join(work, n);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  // A museum CA and a server certificate it signed, for localhost.
  ssl(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    f('ca.key'),
    '-out',
    f('ca.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=Test Museum CA',
  );
  ssl(
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    f('srv.key'),
    '-out',
    f('srv.csr'),
    '-subj',
    '/CN=localhost',
  );
  await writeFile(f('ext.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  ssl(
    'x509',
    '-req',
    '-in',
    f('srv.csr'),
    '-CA',
    f('ca.pem'),
    '-CAkey',
    f('ca.key'),
    '-CAcreateserial',
    '-out',
    f('srv.pem'),
    '-days',
    '2',
    '-extfile',
    f('ext.cnf'),
  );
  ca = await readFile(f('ca.pem'), 'utf8');
  const answer = (label: string) => (req: http.IncomingMessage, res: http.ServerResponse) =>
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`${label} ${req.url}`);
  httpsServer = https.createServer(
    { key: await readFile(f('srv.key')), cert: await readFile(f('srv.pem')) },
    answer('secure'),
  );
  httpServer = http.createServer(answer('plain'));
  proxy = http.createServer((req, res) => {
    // A forward proxy for http: the request line holds the whole URL.
    asked.push(`GET ${req.url}`);
    http
      .get(req.url!, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      })
      .on('error', () => res.writeHead(502).end());
  });
  proxy.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    asked.push(`CONNECT ${req.url}`);
    const [host, p] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(p), host === 'localhost' ? '127.0.0.1' : host!, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  for (const s of [httpsServer, httpServer, proxy]) {
    s.on('connection', (c: net.Socket) => {
      sockets.add(c);
      c.on('close', () => sockets.delete(c));
    });
  }
  await Promise.all([listen(httpsServer), listen(httpServer), listen(proxy)]);
  proxyUrl = `http://127.0.0.1:${port(proxy)}`;
});

afterAll(async () => {
  for (const c of sockets) c.destroy();
  await Promise.all([httpsServer, httpServer, proxy].map((s) => new Promise((r) => s.close(r))));
  await cleanup(work);
});

async function text(body: AsyncIterable<Buffer>) {
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

describe('the channel through a proxy', () => {
  it('tunnels https with CONNECT and checks the server against the museum CA', async () => {
    asked.length = 0;
    const get = createHttpGet({ env: { HTTPS_PROXY: proxyUrl }, ca });
    const target = `https://localhost:${port(httpsServer)}/all/channel.json`;
    const answer = await get(target, { timeoutMs: 3000 });
    expect(answer.status).toBe(200);
    expect(await text(answer.body)).toBe('secure /all/channel.json');
    expect(asked).toEqual([`CONNECT localhost:${port(httpsServer)}`]);
  });

  it('refuses a server the kiosk does not trust, even through the proxy', async () => {
    const get = createHttpGet({ env: { HTTPS_PROXY: proxyUrl } });
    await expect(get(`https://localhost:${port(httpsServer)}/x`, { timeoutMs: 3000 })).rejects.toThrow(
      /certificate/i,
    );
  });

  it('asks the proxy for http by the full URL', async () => {
    asked.length = 0;
    const get = createHttpGet({ env: { http_proxy: proxyUrl } });
    const target = `http://127.0.0.1:${port(httpServer)}/all/channel.json`;
    const answer = await get(target, { timeoutMs: 3000 });
    expect(await text(answer.body)).toBe('plain /all/channel.json');
    expect(asked).toEqual([`GET ${target}`]);
  });

  it('goes direct to hosts NO_PROXY names', async () => {
    asked.length = 0;
    const get = createHttpGet({ env: { HTTPS_PROXY: proxyUrl, NO_PROXY: 'example.org, localhost' }, ca });
    const answer = await get(`https://localhost:${port(httpsServer)}/a`, { timeoutMs: 3000 });
    expect(await text(answer.body)).toBe('secure /a');
    expect(asked).toEqual([]);
  });

  it('reads NO_PROXY as curl does: names, .suffixes, host:port and *', () => {
    const u = (s: string) => new URL(s);
    expect(bypassesProxy(u('https://cdn.museum.org/x'), '.museum.org')).toBe(true);
    expect(bypassesProxy(u('https://museum.org/x'), 'museum.org')).toBe(true);
    expect(bypassesProxy(u('https://notmuseum.org/x'), 'museum.org')).toBe(false);
    expect(bypassesProxy(u('http://10.0.0.5:8080/x'), '10.0.0.5:8080')).toBe(true);
    expect(bypassesProxy(u('http://10.0.0.5:9090/x'), '10.0.0.5:8080')).toBe(false);
    expect(bypassesProxy(u('http://any/x'), '*')).toBe(true);
    expect(proxyFor(u('https://a.org/'), { HTTP_PROXY: 'proxy:3128' })?.href).toBe('http://proxy:3128/');
    expect(proxyFor(u('http://a.org/'), { HTTPS_PROXY: 'http://p:1' })).toBeUndefined();
  });
});
