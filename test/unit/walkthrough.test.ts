/**
 * When the first-run walkthrough opens on its own: only when nothing says how
 * to reach AWS, only once per machine, never when the user turned walkthroughs
 * off. (test/e2e/walkthrough.test.ts checks the same in the real VS Code.)
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as shim from '../support/vscodeShim'; // first: it makes require('vscode') work
import type * as vscode from 'vscode';
import { AuthResolution } from '../../src/core/auth/resolve';
import { COMMANDS } from '../../src/core/config/commands';
import type { Controller } from '../../src/vscode/controller';
import { noCredentialsFound, openWalkthroughOnFirstRun, WALKTHROUGH_ID, WALKTHROUGH_SHOWN_KEY } from '../../src/vscode/walkthrough';

const CONFIG = '/home/u/.aws/config';
const CREDENTIALS = '/home/u/.aws/credentials';
const files = { AWS_CONFIG_FILE: CONFIG, AWS_SHARED_CREDENTIALS_FILE: CREDENTIALS };
const defaultChain: AuthResolution = { ok: true, auth: { kind: 'automatic' }, source: 'defaultChain' };
const none = () => false;
const ROOT = path.resolve(__dirname, '../../..');
/** VS Code's own commands the walkthrough runs (checked to exist in the real host by test/e2e/walkthrough.test.ts). */
const WORKBENCH_COMMANDS = ['workbench.action.chat.open'];

describe('first-run walkthrough', () => {
  describe('contribution (package.json)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const walkthroughs = pkg.contributes.walkthroughs as { id: string; title: string; steps: { id: string; description: string; media: { markdown?: string; image?: string }; completionEvents?: string[] }[] }[];
    const ours = walkthroughs.find((w) => w.id === WALKTHROUGH_ID);
    const known = new Set([...Object.values(COMMANDS).map((c) => c.id), ...WORKBENCH_COMMANDS]);
    const commandLinks = (text: string) => [...text.matchAll(/\(command:([\w.]+)(\?[^)\s]*)?\)/g)].map((m) => ({ id: m[1], args: m[2] }));

    it('has the walkthrough the code opens', () => {
      assert.equal(ours?.title, 'Get started with Amazon Bedrock');
      assert.deepEqual(ours.steps.map((s) => s.id), ['signIn', 'region', 'chat']);
    });

    it('every button and link runs a command that exists, with JSON arguments', () => {
      const texts = ours!.steps.flatMap((s) => [s.description, ...(s.media.markdown ? [fs.readFileSync(path.join(ROOT, s.media.markdown), 'utf8')] : [])]);
      const links = texts.flatMap(commandLinks);
      assert.ok(links.length >= 7);
      for (const { id, args } of links) {
        assert.ok(known.has(id), `unknown command ${id}`);
        if (args) assert.doesNotThrow(() => JSON.parse(decodeURIComponent(args.slice(1))), `arguments of ${id}`);
      }
      const events = ours!.steps.flatMap((s) => s.completionEvents ?? []).filter((e) => e.startsWith('onCommand:'));
      for (const e of events) assert.ok(known.has(e.slice('onCommand:'.length)), e);
    });

    it('the sign-in step offers all five methods', () => {
      const signIn = ours!.steps[0];
      const ids = commandLinks(signIn.description).map((l) => l.id + (l.args ? decodeURIComponent(l.args) : ''));
      assert.deepEqual(ids, [COMMANDS.setApiKey.id, COMMANDS.selectProfile.id, COMMANDS.setIamCredentials.id, `${COMMANDS.selectAuthMethod.id}?["automatic"]`, COMMANDS.selectAuthMethod.id]);
      const markdown = fs.readFileSync(path.join(ROOT, signIn.media.markdown!), 'utf8');
      for (const method of ['API key', 'AWS profile', 'SSO', 'IAM credentials', 'Automatic']) assert.match(markdown, new RegExp(`\\*\\*${method}\\*\\*`), method);
    });

    it('its media files exist, and images they show are small', () => {
      for (const step of ours!.steps) {
        const file = step.media.markdown ?? step.media.image!;
        assert.ok(fs.existsSync(path.join(ROOT, file)), file);
        const images = [...fs.readFileSync(path.join(ROOT, file), 'utf8').matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => path.join(ROOT, path.dirname(file), m[1]));
        for (const image of images) assert.ok(fs.existsSync(image) && fs.statSync(image).size < 200_000, image);
      }
    });
  });

  describe('noCredentialsFound', () => {
    it('is true with nothing at all: the default chain, no variables, no AWS files', () => {
      assert.equal(noCredentialsFound(defaultChain, files, none), true);
    });

    it('is false once a method, a stored secret or an environment key is in use', () => {
      assert.equal(noCredentialsFound({ ok: true, auth: { kind: 'automatic' }, source: 'settings' }, files, none), false);
      assert.equal(noCredentialsFound({ ok: true, auth: { kind: 'apiKey', apiKey: 'k' }, source: 'secretStorage' }, files, none), false);
      assert.equal(noCredentialsFound({ ok: true, auth: { kind: 'iamCredentials', accessKeyId: 'AKIA', secretAccessKey: 's' }, source: 'environment' }, files, none), false);
    });

    it('is false when setup is incomplete: the user chose something, and the error says what is missing', () => {
      assert.equal(noCredentialsFound({ ok: false, method: 'apiKey', source: 'settings', message: 'no key', fix: 'setApiKey' }, files, none), false);
    });

    it('is false when the default chain has something to go on', () => {
      for (const name of ['AWS_PROFILE', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI']) {
        assert.equal(noCredentialsFound(defaultChain, { ...files, [name]: 'x' }, none), false, name);
      }
      assert.equal(noCredentialsFound(defaultChain, { ...files, AWS_PROFILE: '  ' }, none), true, 'a blank variable is nothing');
    });

    it('is false when an AWS config or credentials file has content, where the SDK looks for it', () => {
      assert.equal(noCredentialsFound(defaultChain, files, (f) => f === CONFIG), false);
      assert.equal(noCredentialsFound(defaultChain, files, (f) => f === CREDENTIALS), false);
      assert.equal(noCredentialsFound(defaultChain, files, (f) => f === '/elsewhere/config'), true);
    });
  });

  describe('openWalkthroughOnFirstRun', () => {
    const patched = shim as unknown as Record<string, unknown>;
    let opened: unknown[][];
    let openOnInstall: boolean | undefined;
    let stored: Map<string, unknown>;

    before(() => {
      patched.commands = { executeCommand: async (...args: unknown[]) => void opened.push(args) };
      patched.workspace = {
        getConfiguration: (section: string) => ({
          get: (key: string, fallback: unknown) => (section === 'workbench.welcomePage' && key === 'walkthroughs.openOnInstall' && openOnInstall !== undefined ? openOnInstall : fallback),
        }),
      };
    });
    after(() => {
      delete patched.commands;
      delete patched.workspace;
    });
    beforeEach(() => {
      opened = [];
      openOnInstall = undefined;
      stored = new Map();
    });

    const context = () =>
      ({
        extension: { id: 'bedrock-chat.bedrock-chat' },
        globalState: { get: (k: string) => stored.get(k), update: async (k: string, v: unknown) => void stored.set(k, v) },
      }) as unknown as vscode.ExtensionContext;
    const controller = (auth: AuthResolution) => ({ state: async () => ({ auth }), log: { info: () => {}, warn: () => {} } }) as unknown as Controller;
    // The real process environment decides the variables and files: make it look empty.
    const saved: Record<string, string | undefined> = {};
    before(() => {
      for (const k of ['AWS_PROFILE', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE']) saved[k] = process.env[k];
      delete process.env.AWS_PROFILE;
      delete process.env.AWS_WEB_IDENTITY_TOKEN_FILE;
      delete process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
      delete process.env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI;
      process.env.AWS_CONFIG_FILE = '/nonexistent/bedrock-chat-test/config';
      process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/bedrock-chat-test/credentials';
    });
    after(() => {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    });

    it('opens "publisher.name#id" once, then never again', async () => {
      const ctx = context();
      assert.equal(await openWalkthroughOnFirstRun(ctx, controller(defaultChain)), true);
      assert.deepEqual(opened, [['workbench.action.openWalkthrough', `bedrock-chat.bedrock-chat#${WALKTHROUGH_ID}`, false]]);
      assert.equal(stored.get(WALKTHROUGH_SHOWN_KEY), true);
      assert.equal(await openWalkthroughOnFirstRun(ctx, controller(defaultChain)), false);
      assert.equal(opened.length, 1);
    });

    it('stays closed when credentials are found, and still opens later if they go away', async () => {
      const ctx = context();
      assert.equal(await openWalkthroughOnFirstRun(ctx, controller({ ok: true, auth: { kind: 'apiKey', apiKey: 'k' }, source: 'environment' })), false);
      assert.equal(stored.has(WALKTHROUGH_SHOWN_KEY), false);
      assert.equal(await openWalkthroughOnFirstRun(ctx, controller(defaultChain)), true);
    });

    it('stays closed when the user turned off walkthroughs opening on their own', async () => {
      openOnInstall = false;
      assert.equal(await openWalkthroughOnFirstRun(context(), controller(defaultChain)), false);
      assert.deepEqual(opened, []);
    });
  });
});
