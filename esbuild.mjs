// Bundles the extension into one file. `module` before `main` picks the AWS
// SDK's ES builds, which tree-shake to a much smaller, faster-loading bundle.
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const options = {
  entryPoints: ['src/extension.ts'],
  bundle: true,
  outfile: 'dist/extension.js',
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode'],
  mainFields: ['module', 'main'],
  // https-proxy-agent's tracing library, never enabled here: a no-op stand-in saves ~10 KB.
  alias: { debug: './scripts/esbuild/debug-stub.js' },
  sourcemap: true,
  minify: !process.argv.includes('--dev'),
  logLevel: 'info',
};

if (watch) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
} else {
  await esbuild.build(options);
}
