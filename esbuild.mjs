// Bundles the extension into two files. `module` before `main` picks the AWS
// SDK's ES builds, which tree-shake to a much smaller, faster-loading bundle.
//
//   dist/extension.js  what VS Code loads at activation: the VS Code layer,
//                      settings, state, status bar, catalogue. No AWS SDK.
//   dist/sdk.js        everything that needs the AWS SDK (src/core/bedrock/sdk.ts),
//                      required on first use through src/core/bedrock/lazySdk.ts.
//   dist/THIRD_PARTY_NOTICES.txt  the licences of the packages bundled into both.
//
//   node esbuild.mjs [--dev] [--watch] [--outdir=DIR] [--metafile]
//   --outdir    build into DIR instead of dist/ (tests)
//   --metafile  also write DIR/<bundle>.meta.json, esbuild's account of what went in
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeNotices } from './scripts/esbuild/notices.mjs';

const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const watch = process.argv.includes('--watch');
const dev = process.argv.includes('--dev');
const outdir = arg('outdir') ?? 'dist';
const writeMeta = process.argv.includes('--metafile');

/** lazySdk.ts's `require('./sdk')` stays a require, of the second bundle beside the first. */
const lazySdk = {
  name: 'lazy-sdk',
  setup(build) {
    build.onResolve({ filter: /^\.\/sdk$/ }, (args) =>
      args.importer.endsWith(path.join('bedrock', 'lazySdk.ts')) ? { path: './sdk.js', external: true } : undefined,
    );
  },
};

/**
 * Meaning-preserving trims of the AWS SDK's generated code:
 * - each client's schemas/schemas_0.js writes object keys as `{ [_ht]: … }`, `_ht`
 *   being a string constant of the same file. esbuild cannot prove such a
 *   computed key free of side effects, so it kept the schema of every operation
 *   of the service (~80 KB for the Bedrock control plane, of which we call
 *   three). Written as plain keys, the unused ones drop out.
 * - a client imports its whole package.json for one field, the version in the
 *   user agent: only name and version are kept.
 */
export const sdkTrim = {
  name: 'sdk-trim',
  setup(build) {
    build.onLoad({ filter: /[\\/]@aws-sdk[\\/].*[\\/]schemas[\\/]schemas_\d+\.js$/ }, async (args) => {
      const text = await fs.promises.readFile(args.path, 'utf8');
      const strings = new Map([...text.matchAll(/^const (_\w+) = ("(?:[^"\\\n]|\\.)*");$/gm)].map((m) => [m[1], m[2]]));
      return { contents: text.replace(/([{,]\s*)\[(_\w+)\]:/g, (whole, before, name) => (strings.has(name) ? `${before}${strings.get(name)}:` : whole)), loader: 'js' };
    });
    build.onLoad({ filter: /[\\/]@aws-sdk[\\/][^\\/]+[\\/]package\.json$/ }, async (args) => {
      const { name, version } = JSON.parse(await fs.promises.readFile(args.path, 'utf8'));
      return { contents: JSON.stringify({ name, version }), loader: 'json' };
    });
  },
};

export const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode'],
  mainFields: ['module', 'main'],
  // https-proxy-agent's tracing library, never enabled here: a no-op stand-in saves ~10 KB.
  alias: { debug: './scripts/esbuild/debug-stub.js' },
  plugins: [lazySdk, sdkTrim],
  sourcemap: true,
  minify: !dev,
  // The bundled packages' licences ship in dist/THIRD_PARTY_NOTICES.txt (scripts/esbuild/notices.mjs).
  legalComments: 'none',
  // Always: the notices are built from it (it is only written to disk with --metafile).
  metafile: true,
  logLevel: 'info',
};

export const bundles = {
  extension: { ...common, entryPoints: ['src/extension.ts'], outfile: path.join(outdir, 'extension.js') },
  sdk: { ...common, entryPoints: ['src/core/bedrock/sdk.ts'], outfile: path.join(outdir, 'sdk.js') },
};

const isMain = process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (!isMain) {
  // Imported (scripts/bench.js bundles the raw SDK with the same options): build nothing.
} else if (watch) {
  for (const options of Object.values(bundles)) await (await esbuild.context(options)).watch();
} else {
  const metafiles = await Promise.all(
    Object.entries(bundles).map(async ([name, options]) => {
      const result = await esbuild.build(options);
      if (writeMeta) fs.writeFileSync(path.join(outdir, `${name}.meta.json`), JSON.stringify(result.metafile));
      return result.metafile;
    }),
  );
  writeNotices(metafiles, path.join(outdir, 'THIRD_PARTY_NOTICES.txt'));
}
