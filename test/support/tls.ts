/**
 * Test certificates made at run time with node:crypto alone (no openssl CLI):
 * a tiny DER/X.509 writer, enough for a CA, a leaf for 127.0.0.1 signed by it,
 * a self-signed leaf and an expired leaf. For HTTPS servers that a real client
 * must refuse the way it refuses a TLS-inspecting proxy's certificate.
 */
import * as crypto from 'node:crypto';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

// ---- DER ------------------------------------------------------------------------------------

function der(tag: number, body: Buffer): Buffer {
  const n = body.length;
  let len: Buffer;
  if (n < 0x80) len = Buffer.from([n]);
  else {
    const bytes: number[] = [];
    for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
    len = Buffer.from([0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([Buffer.from([tag]), len, body]);
}
const seq = (...items: Buffer[]) => der(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => der(0x31, Buffer.concat(items));
const explicit = (n: number, inner: Buffer) => der(0xa0 + n, inner);
const octets = (b: Buffer) => der(0x04, b);
const bitString = (b: Buffer) => der(0x03, Buffer.concat([Buffer.from([0]), b]));
const utf8 = (s: string) => der(0x0c, Buffer.from(s, 'utf8'));
const bool = (v: boolean) => der(0x01, Buffer.from([v ? 0xff : 0]));

function integer(n: Buffer): Buffer {
  let b = n;
  while (b.length > 1 && b[0] === 0 && !(b[1] & 0x80)) b = b.subarray(1);
  if (b[0] & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return der(0x02, b);
}

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [40 * a + b];
  for (const v of rest) {
    const parts: number[] = [v & 0x7f];
    for (let x = v >>> 7; x > 0; x >>>= 7) parts.unshift((x & 0x7f) | 0x80);
    out.push(...parts);
  }
  return der(0x06, Buffer.from(out));
}

function time(d: Date): Buffer {
  const p = (n: number) => String(n).padStart(2, '0');
  const s = `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  return der(0x17, Buffer.from(s, 'ascii')); // UTCTime (years 1950-2049)
}

const name = (cn: string) => seq(set(seq(oid('2.5.4.3'), utf8(cn))));
const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));

// ---- certificates -----------------------------------------------------------------------------

export interface TestCert {
  /** PEM certificate */
  cert: string;
  /** PEM private key (PKCS#8) */
  key: string;
  /** for signing others */
  privateKey: crypto.KeyObject;
  subject: string;
}

export interface CertOptions {
  /** common name (also the issuer name when self-signed) */
  cn: string;
  /** signs the certificate; omitted = self-signed */
  issuer?: TestCert;
  /** a CA certificate (basicConstraints CA:TRUE, keyCertSign) */
  ca?: boolean;
  notBefore?: Date;
  notAfter?: Date;
}

/** An EC P-256 certificate; leaves carry subjectAltName IP 127.0.0.1 and DNS localhost. */
export function makeCert(opts: CertOptions): TestCert {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const notBefore = opts.notBefore ?? new Date(Date.now() - 60 * 60_000);
  const notAfter = opts.notAfter ?? new Date(Date.now() + 24 * 60 * 60_000);
  const extensions = opts.ca
    ? [
        seq(oid('2.5.29.19'), bool(true), octets(seq(bool(true)))), // basicConstraints CA:TRUE (critical)
        seq(oid('2.5.29.15'), bool(true), octets(der(0x03, Buffer.from([0x01, 0x06])))), // keyUsage keyCertSign, cRLSign
      ]
    : [
        seq(oid('2.5.29.19'), bool(true), octets(seq())), // CA:FALSE
        seq(oid('2.5.29.17'), octets(seq(der(0x87, Buffer.from([127, 0, 0, 1])), der(0x82, Buffer.from('localhost'))))), // subjectAltName
      ];
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))), // v3
    integer(crypto.randomBytes(12)),
    ECDSA_SHA256,
    name(opts.issuer?.subject ?? opts.cn),
    seq(time(notBefore), time(notAfter)),
    name(opts.cn),
    spki,
    explicit(3, seq(...extensions)),
  );
  const signature = crypto.sign('sha256', tbs, opts.issuer?.privateKey ?? privateKey); // DER ECDSA-Sig-Value
  const certDer = seq(tbs, ECDSA_SHA256, bitString(signature));
  const b64 = certDer.toString('base64').replace(/(.{64})/g, '$1\n').trim();
  return {
    cert: `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`,
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    privateKey,
    subject: opts.cn,
  };
}

/** What a TLS-inspecting proxy looks like to a client that does not trust its CA. */
export interface CorporateCerts {
  /** the company's root CA, which Node does not trust */
  ca: TestCert;
  /** signed by `ca` */
  leaf: TestCert;
  /** an intermediate CA signed by `ca` */
  intermediate: TestCert;
  /** signed by `intermediate`; served as [leafViaIntermediate, intermediate] the client looks for the root locally */
  leafViaIntermediate: TestCert;
  /** self-signed, no CA */
  selfSigned: TestCert;
  /** signed by `ca`, validity ended yesterday */
  expired: TestCert;
}

export function makeCorporateCerts(): CorporateCerts {
  const ca = makeCert({ cn: 'Corp TLS Inspection Root CA', ca: true, notAfter: new Date(Date.now() + 7 * 24 * 60 * 60_000) });
  const intermediate = makeCert({ cn: 'Corp TLS Inspection Issuing CA', ca: true, issuer: ca, notAfter: new Date(Date.now() + 7 * 24 * 60 * 60_000) });
  return {
    ca,
    leaf: makeCert({ cn: '127.0.0.1', issuer: ca }),
    intermediate,
    leafViaIntermediate: makeCert({ cn: '127.0.0.1', issuer: intermediate }),
    selfSigned: makeCert({ cn: '127.0.0.1' }),
    expired: makeCert({ cn: '127.0.0.1', issuer: ca, notBefore: new Date(Date.now() - 3 * 24 * 60 * 60_000), notAfter: new Date(Date.now() - 24 * 60 * 60_000) }),
  };
}

export interface HttpsTestServer {
  /** `https://127.0.0.1:<port>` */
  readonly url: string;
  /** requests that got past the TLS handshake */
  readonly requests: number;
  close(): Promise<void>;
}

/**
 * An HTTPS server on 127.0.0.1 presenting `chain` (leaf first, e.g. [leaf] or [leaf, ca]).
 * Every request that gets through TLS is answered with `status` and a JSON body.
 */
export async function startHttpsServer(chain: TestCert[], answer: { status: number; type: string; message: string } = { status: 400, type: 'ValidationException', message: 'reached the server' }): Promise<HttpsTestServer> {
  const sockets = new Set<Duplex>();
  let requests = 0;
  const server = https.createServer({ cert: chain.map((c) => c.cert).join(''), key: chain[0].key }, (req, res) => {
    requests++;
    req.resume();
    req.on('end', () => {
      res.writeHead(answer.status, { 'content-type': 'application/json', 'x-amzn-errortype': answer.type }).end(JSON.stringify({ message: answer.message }));
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => {}); // the client refusing the certificate is the point
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
