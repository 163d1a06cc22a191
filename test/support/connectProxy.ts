/**
 * A real HTTP CONNECT proxy on 127.0.0.1 (node:http 'connect' events), optionally
 * demanding Basic Proxy-Authorization (407 otherwise), and a TLS front that
 * terminates TLS with a test certificate and passes the bytes on to a plain
 * local server (the Bedrock server), so clients meet a TLS server whose CA only
 * the test knows. Both record what they saw and close every socket on close().
 */
import * as http from 'node:http';
import * as net from 'node:net';
import * as tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import type { TestCert } from './tls';

export interface ConnectRecord {
  /** host:port of the CONNECT request */
  target: string;
  /** the Proxy-Authorization header, if any */
  authorization?: string;
  /** status the proxy answered */
  status: number;
}

export interface ConnectProxy {
  /** `http://127.0.0.1:<port>` (without credentials) */
  readonly url: string;
  readonly port: number;
  /** every CONNECT request, in order */
  readonly connects: ConnectRecord[];
  /** requests that were not CONNECT (a client that sent its request to the proxy in the clear) */
  readonly plainRequests: string[];
  close(): Promise<void>;
}

export interface ConnectProxyOptions {
  /** demand `Proxy-Authorization: Basic base64(user:password)`; 407 otherwise */
  auth?: { user: string; password: string };
  /** refuse tunnels to these host:port targets with 403 */
  forbid?: string[];
}

function trackSockets(server: net.Server): Set<net.Socket> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return sockets;
}

export async function startConnectProxy(opts: ConnectProxyOptions = {}): Promise<ConnectProxy> {
  const connects: ConnectRecord[] = [];
  const plainRequests: string[] = [];
  const tunnels = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    plainRequests.push(`${req.method} ${req.url}`);
    res.writeHead(405, { 'content-type': 'text/plain' }).end('this test proxy only tunnels (CONNECT)');
  });
  const sockets = trackSockets(server);
  const expected = opts.auth ? `Basic ${Buffer.from(`${opts.auth.user}:${opts.auth.password}`).toString('base64')}` : undefined;
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const target = req.url ?? '';
    const authorization = req.headers['proxy-authorization'];
    const record: ConnectRecord = { target, ...(authorization ? { authorization } : {}), status: 0 };
    connects.push(record);
    client.on('error', () => {});
    if (expected && authorization !== expected) {
      record.status = 407;
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test proxy"\r\nContent-Type: text/html\r\nContent-Length: 45\r\n\r\n<html><body>Proxy login needed</body></html>\n');
      return;
    }
    if (opts.forbid?.includes(target)) {
      record.status = 403;
      client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const m = /^(.+):(\d+)$/.exec(target);
    if (!m) {
      record.status = 400;
      client.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const upstream = net.connect(Number(m[2]), m[1].replace(/^\[|\]$/g, ''), () => {
      record.status = 200;
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    tunnels.add(upstream);
    upstream.on('close', () => tunnels.delete(upstream));
    upstream.on('error', () => {
      if (record.status === 0) {
        record.status = 502;
        client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
      } else client.destroy();
    });
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connects,
    plainRequests,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of [...sockets, ...tunnels]) s.destroy();
      await closed;
    },
  };
}

export interface TlsFront {
  /** `https://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** TLS connections that completed the handshake */
  readonly connections: number;
  close(): Promise<void>;
}

/** Terminates TLS with `chain` (leaf first) and pipes each connection to 127.0.0.1:`targetPort`. */
export async function startTlsFront(targetPort: number, chain: TestCert[]): Promise<TlsFront> {
  let connections = 0;
  const pipes = new Set<net.Socket>();
  const server = tls.createServer({ cert: chain.map((c) => c.cert).join(''), key: chain[0].key }, (socket) => {
    connections++;
    const upstream = net.connect(targetPort, '127.0.0.1');
    pipes.add(upstream);
    upstream.on('close', () => pipes.delete(upstream));
    socket.pipe(upstream);
    upstream.pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
    socket.on('close', () => upstream.destroy());
  });
  server.on('tlsClientError', () => {}); // a client refusing the certificate is a test's point
  const sockets = trackSockets(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    get connections() {
      return connections;
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of [...sockets, ...pipes]) s.destroy();
      await closed;
    },
  };
}
