// Bundles the extension into two files. `module` before `main` picks the AWS
// SDK's ES builds, which tree-shake to a much smaller, faster-loading bundle.
//
//   dist/extension.js  what VS Code loads at activation: the VS Code layer,
//                      settings, state, status bar, catalogue. No AWS SDK.
//   dist/sdk.js        everything that needs the AWS SDK (src/core/bedrock/sdk.ts),
//                      required on first use through src/core/bedrock/lazySdk.ts.
//
//   node esbuild.mjs [--dev] [--watch] [--outdir=DIR] [--metafile]
//   --outdir    build into DIR instead of dist/ (tests)
//   --metafile  also write DIR/<bundle>.meta.json, esbuild's account of what went in
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';

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

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode'],
  mainFields: ['module', 'main'],
  // https-proxy-agent's tracing library, never enabled here: a no-op stand-in saves ~10 KB.
  alias: { debug: './scripts/esbuild/debug-stub.js' },
  plugins: [lazySdk],
  sourcemap: true,
  minify: !dev,
  legalComments: 'none',
  metafile: writeMeta,
  logLevel: 'info',
};

export const bundles = {
  extension: { ...common, entryPoints: ['src/extension.ts'], outfile: path.join(outdir, 'extension.js') },
  sdk: { ...common, entryPoints: ['src/core/bedrock/sdk.ts'], outfile: path.join(outdir, 'sdk.js') },
};

if (watch) {
  for (const options of Object.values(bundles)) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(
    Object.entries(bundles).map(async ([name, options]) => {
      const result = await esbuild.build(options);
      if (writeMeta) fs.writeFileSync(path.join(outdir, `${name}.meta.json`), JSON.stringify(result.metafile));
    }),
  );
}
