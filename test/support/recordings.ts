/**
 * Loading of the real Bedrock wire recordings (VCR YAML cassettes from pydantic-ai,
 * MIT, see test/fixtures/recordings/LICENSE-pydantic-ai) kept in test/fixtures/recordings/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

/** Absolute path of test/fixtures/recordings (works from both test/support and out/test/support). */
export const RECORDINGS_DIR = findRecordingsDir();

function findRecordingsDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'test', 'fixtures', 'recordings');
    if (fs.existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  return path.resolve(__dirname, '..', 'fixtures', 'recordings');
}

export type BedrockOperation = 'converse-stream' | 'converse' | 'count-tokens';

export interface RecordedInteraction {
  /** cassette file name (without directory) */
  cassette: string;
  /** position inside the cassette */
  index: number;
  method: string;
  /** full recorded URI, e.g. https://bedrock-runtime.us-east-1.amazonaws.com/model/us.amazon.nova-micro-v1%3A0/converse-stream */
  uri: string;
  /** operation from the URI's last segment */
  operation: BedrockOperation | string;
  /** URL-decoded model id, e.g. `us.amazon.nova-micro-v1:0` */
  modelId: string | undefined;
  /** the JSON body the client sent (parsed), when any */
  requestJson: unknown;
  status: number;
  /** response headers (lower-cased, first value), as recorded */
  headers: Record<string, string>;
  /** the response body bytes exactly as recorded (base64-decoded for `!!binary`, JSON-serialised for `parsed_body`) */
  body: Buffer;
}

interface RawInteraction {
  request: { method: string; uri: string; body?: unknown; headers?: Record<string, unknown[]> };
  response: {
    status: { code: number; message?: string };
    headers?: Record<string, unknown[]>;
    body?: { string?: unknown };
    parsed_body?: unknown;
  };
}

function asText(v: unknown): string {
  if (v == null) return '';
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  return String(v);
}

function asBytes(v: unknown): Buffer {
  if (v == null) return Buffer.alloc(0);
  if (Buffer.isBuffer(v)) return v;
  if (v instanceof Uint8Array) return Buffer.from(v);
  if (typeof v === 'string') return Buffer.from(v, 'utf8');
  return Buffer.from(JSON.stringify(v), 'utf8');
}

/** Parse a URI's Bedrock path: `/model/{modelId}/{operation}` (modelId decoded). */
export function parseBedrockUri(uri: string): { modelId: string | undefined; operation: string } {
  const p = new URL(uri, 'http://x').pathname;
  const m = /\/model\/([^/]+)\/([^/]+)$/.exec(p);
  if (!m) return { modelId: undefined, operation: p };
  return { modelId: decodeURIComponent(m[1]), operation: m[2] };
}

/** Load every interaction of a cassette. `name` is a file name in RECORDINGS_DIR (".yaml" optional) or a path. */
export function loadCassette(name: string): RecordedInteraction[] {
  const file = resolveCassette(name);
  const doc = parse(fs.readFileSync(file, 'utf8'), { customTags: ['binary'] }) as { interactions: RawInteraction[] };
  return doc.interactions.map((it, index) => {
    const { modelId, operation } = parseBedrockUri(it.request.uri);
    const reqText = asText(it.request.body);
    let requestJson: unknown = undefined;
    try {
      requestJson = reqText ? JSON.parse(reqText) : undefined;
    } catch {
      requestJson = reqText;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(it.response.headers ?? {})) {
      headers[k.toLowerCase()] = asText(Array.isArray(v) ? v[0] : v);
    }
    const body = it.response.body?.string !== undefined ? asBytes(it.response.body.string) : asBytes(it.response.parsed_body);
    return {
      cassette: path.basename(file),
      index,
      method: it.request.method,
      uri: it.request.uri,
      operation,
      modelId,
      requestJson,
      status: it.response.status.code,
      headers,
      body,
    };
  });
}

/** The first interaction of a cassette (optionally the first with a given operation). */
export function loadInteraction(name: string, operation?: string): RecordedInteraction {
  const all = loadCassette(name);
  const found = operation ? all.find((i) => i.operation === operation) : all[0];
  if (!found) throw new Error(`no ${operation ?? ''} interaction in ${name}`);
  return found;
}

/** File names of every cassette available. */
export function listCassettes(): string[] {
  return fs
    .readdirSync(RECORDINGS_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
}

function resolveCassette(name: string): string {
  if (path.isAbsolute(name) || name.includes('/')) return name;
  const withExt = name.endsWith('.yaml') ? name : `${name}.yaml`;
  return path.join(RECORDINGS_DIR, withExt);
}
