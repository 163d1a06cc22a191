// The third-party notices shipped beside the bundles (dist/THIRD_PARTY_NOTICES.txt).
// esbuild inlines the AWS SDK, picomatch and the proxy agents into dist/*.js
// and drops their comments (legalComments: 'none'), so their licences
// (Apache-2.0 asks for a copy of the licence and any NOTICE file; MIT for the
// copyright notice) travel in this file instead. Built from esbuild's metafile,
// so it lists exactly the packages that went into a bundle, each with its
// version and licence; identical licence texts are printed once.
import * as fs from 'node:fs';
import * as path from 'node:path';

const LICENSE_FILE = /^(licen[cs]e|copying)(\.(md|txt))?$/i;
const NOTICE_FILE = /^notice(\.(md|txt))?$/i;

/** The package folders (…/node_modules/name or …/node_modules/@scope/name) that metafiles' inputs come from. */
export function bundledPackageDirs(metafiles, root = process.cwd()) {
  const dirs = new Set();
  // What went into the output files, not every file esbuild read (some tree-shake to nothing).
  const inputs = metafiles.flatMap((meta) => Object.values(meta.outputs).flatMap((o) => Object.entries(o.inputs).filter(([, i]) => i.bytesInOutput > 0).map(([f]) => f)));
  for (const input of inputs) {
    const at = input.lastIndexOf('node_modules/');
    if (at < 0) continue;
    const parts = input.slice(at + 'node_modules/'.length).split('/');
    const name = parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
    dirs.add(path.resolve(root, input.slice(0, at), 'node_modules', name));
  }
  return [...dirs];
}

function readFirst(dir, pattern) {
  const file = fs.readdirSync(dir).find((f) => pattern.test(f));
  return file ? fs.readFileSync(path.join(dir, file), 'utf8').replace(/\r\n/g, '\n').trim() : undefined;
}

/** The notices text for these package folders; throws when a package has no licence to ship. */
export function noticesText(dirs) {
  const packages = dirs
    .map((dir) => {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
      return { id: `${pkg.name}@${pkg.version}`, dir, spdx: typeof pkg.license === 'string' ? pkg.license : undefined, license: readFirst(dir, LICENSE_FILE), notice: readFirst(dir, NOTICE_FILE) };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
  // A few AWS SDK packages publish no LICENSE file, only "license": "Apache-2.0": they get the
  // Apache-2.0 text another bundled package ships (the licence's own text, the same for all).
  const apache = packages.find((p) => p.spdx === 'Apache-2.0' && /Apache License\s+Version 2\.0/.test(p.license ?? ''))?.license;
  for (const p of packages) {
    if (!p.license && p.spdx === 'Apache-2.0' && apache) p.license = apache;
    if (!p.license) throw new Error(`${p.id} is bundled but ships no licence text to pass on (${p.dir}): add it by hand here`);
    p.spdx ??= 'see its licence below';
  }
  const texts = new Map();
  for (const p of packages) {
    const key = p.license.replace(/\s+/g, ' '); // the same text, however it was wrapped
    if (!texts.has(key)) texts.set(key, []);
    texts.get(key).push(p);
  }
  const lines = [
    'Bedrock Chat includes the following third-party software in dist/extension.js and dist/sdk.js.',
    '',
    ...packages.map((p) => `  ${p.id} (${p.spdx})`),
    '',
  ];
  for (const p of packages.filter((q) => q.notice)) lines.push('='.repeat(78), `NOTICE of ${p.id}`, '', p.notice, '');
  for (const group of texts.values()) lines.push('='.repeat(78), `Licence of: ${group.map((p) => p.id).join(', ')}`, '', group[0].license, '');
  return lines.join('\n');
}

export function writeNotices(metafiles, outFile, root = process.cwd()) {
  fs.writeFileSync(outFile, noticesText(bundledPackageDirs(metafiles, root)));
}
