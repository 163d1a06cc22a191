/**
 * The real VS Code host installs under npm: install.sh runs code-server's npm
 * install with Node 24 through scripts/vscode-host/nested-npm.js, and when
 * install.sh itself runs inside `npm start` / `npm test` the outer npm's script
 * environment must not reach that nested install. These tests simulate the
 * outer npm (an older Node, its npm_config_* and PATH) and check what the
 * nested install would use.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nested = require(path.join(ROOT, 'scripts', 'vscode-host', 'nested-npm.js')) as {
  nestedNpmEnv(env: NodeJS.ProcessEnv, nodeDir: string): Record<string, string>;
  which(name: string, pathValue: string | undefined): string | undefined;
  npmCli(env: NodeJS.ProcessEnv): string | undefined;
  runNestedNpm(nodeDir: string, args: string[], env: NodeJS.ProcessEnv, opts: { quiet?: boolean; stdio?: 'ignore' | 'inherit' }): number;
};

const OUTER_NODE = 'v18.99.0'; // the simulated outer npm's Node (Node 20 on the machine that hit the bug)

/** A fake `node` that only answers -v, like an older Node would. */
function fakeNode(dir: string, version: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const f = path.join(dir, 'node');
  fs.writeFileSync(f, `#!/bin/sh\necho ${version}\n`, { mode: 0o755 });
  return f;
}

describe('nested npm install (code-server with Node 24, run from npm start / npm test)', function () {
  this.timeout(120_000);
  let tmp: string;
  let outerNodeDir: string;
  let projectBin: string;
  let nodeGypBin: string;
  /** Stands in for .cache/vscode-host/node24: bin/node runs this test's Node. */
  let targetNodeDir: string;
  /** What `npm start` gives its scripts: the outer npm's state. */
  let npmScriptEnv: NodeJS.ProcessEnv;

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bedrock-chat-nested-npm-'));
    outerNodeDir = path.join(tmp, 'outer-node', 'bin');
    const outerNode = fakeNode(outerNodeDir, OUTER_NODE);
    projectBin = path.join(tmp, 'project', 'node_modules', '.bin');
    fakeNode(projectBin, OUTER_NODE); // a `node` shim in node_modules/.bin would win too
    nodeGypBin = path.join(tmp, 'npm', 'node_modules', '@npmcli', 'run-script', 'lib', 'node-gyp-bin');
    fs.mkdirSync(nodeGypBin, { recursive: true });
    targetNodeDir = path.join(tmp, 'node24');
    fs.mkdirSync(path.join(targetNodeDir, 'bin'), { recursive: true });
    fs.symlinkSync(process.execPath, path.join(targetNodeDir, 'bin', 'node'));
    const systemPath = (process.env.PATH ?? '').split(path.delimiter).filter((d) => !/node_modules[\\/]\.bin|node-gyp-bin/.test(d));
    npmScriptEnv = {
      ...process.env,
      PATH: [projectBin, nodeGypBin, outerNodeDir, ...systemPath].join(path.delimiter),
      npm_config_user_agent: `npm/11.0.0 node/${OUTER_NODE} linux x64 workspaces/false`,
      npm_config_nodedir: '/usr',
      npm_config_node_gyp: path.join(tmp, 'npm', 'node-gyp.js'),
      npm_config_local_prefix: path.join(tmp, 'project'),
      npm_config_registry: 'https://npm-mirror.example.com/',
      'npm_config_//npm-mirror.example.com/:_authToken': 'mirror-token',
      npm_node_execpath: outerNode,
      NODE: outerNode,
      npm_execpath: nested.npmCli(process.env) ?? '',
      npm_package_name: 'bedrock-chat',
      npm_lifecycle_event: 'start',
      npm_lifecycle_script: 'node scripts/start.js',
      npm_command: 'run-script',
      INIT_CWD: path.join(tmp, 'project'),
    };
  });

  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('puts Node 24 first in PATH and drops what npm adds to its scripts', () => {
    const env = nested.nestedNpmEnv(npmScriptEnv, targetNodeDir);
    const entries = env.PATH.split(path.delimiter);
    assert.equal(entries[0], path.join(targetNodeDir, 'bin'));
    assert.equal(nested.which('node', env.PATH), path.join(targetNodeDir, 'bin', 'node'), 'the `node` the install scripts run');
    assert.ok(!entries.includes(projectBin), 'node_modules/.bin is gone');
    assert.ok(!entries.includes(nodeGypBin), "npm's node-gyp-bin is gone");
    for (const k of ['npm_config_user_agent', 'npm_config_node_gyp', 'npm_config_local_prefix', 'npm_node_execpath', 'NODE', 'npm_execpath', 'npm_package_name', 'npm_lifecycle_event', 'npm_lifecycle_script', 'npm_command', 'INIT_CWD']) {
      assert.equal(env[k], undefined, `${k} does not reach the nested install`);
    }
    assert.equal(env.npm_config_nodedir, targetNodeDir, 'native modules build against Node 24 headers');
    assert.equal(env.npm_config_registry, 'https://npm-mirror.example.com/', 'a registry mirror given in the environment is kept');
    assert.equal(env['npm_config_//npm-mirror.example.com/:_authToken'], 'mirror-token');
    assert.equal(env.HOME, process.env.HOME);
  });

  it("an install script of the nested npm sees Node 24 everywhere code-server's postinstall looks", () => {
    // A package whose postinstall records what code-server's postinstall.sh reads:
    // the Node major in $npm_config_user_agent, plus `node -v` and $NODE.
    const pkg = path.join(tmp, 'probe');
    fs.mkdirSync(pkg, { recursive: true });
    const out = path.join(tmp, 'probe-output.json');
    fs.writeFileSync(
      path.join(pkg, 'package.json'),
      JSON.stringify({
        name: 'nested-env-probe',
        version: '1.0.0',
        scripts: {
          postinstall: `node -e "require('fs').writeFileSync(process.argv[1], JSON.stringify({ ua: process.env.npm_config_user_agent, nodeV: process.version, NODE: process.env.NODE, nodedir: process.env.npm_config_nodedir }))" ${JSON.stringify(out)}`,
        },
      }),
    );
    const probe = (env: NodeJS.ProcessEnv) => {
      fs.rmSync(out, { force: true });
      const prefix = fs.mkdtempSync(path.join(tmp, 'prefix-'));
      const status = nested.runNestedNpm(targetNodeDir, ['install', '--no-save', '--no-audit', '--no-fund', '--offline', '--prefix', prefix, pkg], env, { quiet: true, stdio: 'ignore' });
      assert.equal(status, 0, 'nested npm install succeeded');
      return JSON.parse(fs.readFileSync(out, 'utf8')) as { ua: string; nodeV: string; NODE: string; nodedir: string };
    };
    const seen = probe(npmScriptEnv);
    const major = /node\/v(\d+)/.exec(seen.ua)?.[1];
    assert.equal(major, process.versions.node.split('.')[0], `npm_config_user_agent names the target Node: ${seen.ua}`);
    assert.equal(seen.nodeV, process.version);
    assert.equal(fs.realpathSync(seen.NODE), fs.realpathSync(process.execPath));
    assert.equal(seen.nodedir, targetNodeDir);
  });

  it('without the isolation, the simulated npm environment reproduces the bug', () => {
    // The old install.sh: Node 24 first in PATH and nodedir set, nothing removed.
    const leaky = { ...npmScriptEnv, PATH: `${path.join(targetNodeDir, 'bin')}${path.delimiter}${npmScriptEnv.PATH}`, npm_config_nodedir: targetNodeDir };
    const r = spawnSync(path.join(targetNodeDir, 'bin', 'node'), [nested.npmCli(process.env)!, 'config', 'get', 'user-agent'], { env: leaky, encoding: 'utf8' });
    assert.match(r.stdout, new RegExp(`node/${OUTER_NODE.replace(/\./g, '\\.')}`), 'the outer user agent wins in the nested npm');
  });
});
