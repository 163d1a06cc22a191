/**
 * An assume-role profile with mfa_serial in the real VS Code: the controller's
 * MFA prompt is asked for the code, the fake STS checks it, the chat answers
 * with the role session; a rebuilt client (what an AWS file edit causes) does
 * not ask again. The real input box is shown, and dismissing it ends the
 * request unsent. (The extension host cannot type into VS Code's input box, so
 * the code itself comes from a stand-in for the prompt function.)
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { MfaCodePrompt, MfaCodeRequest } from '../../src/core/auth/mfa';
import { bedrockServer, chat, extensionApi, resetUser, setSetting, testEnv } from './harness';

const ROLE = 'arn:aws:iam::111122223333:role/BedrockMfa';
const DEVICE = 'arn:aws:iam::111122223333:mfa/integration';
const BASE = { id: 'AKIAMFABASEINTEG0001', secret: 'mfa-base-secret-integration' };

describe('MFA in the real VS Code', () => {
  const saved: Record<string, string | undefined> = {};
  let original: MfaCodePrompt;

  before(async () => {
    for (const f of [testEnv.configFile, testEnv.credentialsFile]) saved[f] = fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined;
    fs.writeFileSync(testEnv.credentialsFile, `[base]\naws_access_key_id = ${BASE.id}\naws_secret_access_key = ${BASE.secret}\n`);
    fs.writeFileSync(testEnv.configFile, `[profile mfa]\nrole_arn = ${ROLE}\nsource_profile = base\nmfa_serial = ${DEVICE}\n`);
    const server = await bedrockServer();
    server.addCredentials(BASE.id, BASE.secret);
    server.requireMfa(ROLE, DEVICE);
    original = (await extensionApi()).controller.mfa.prompt;
  });
  after(async () => {
    for (const [f, text] of Object.entries(saved)) if (text !== undefined) fs.writeFileSync(f, text);
    const api = await extensionApi();
    api.controller.mfa.prompt = original;
    api.controller.mfa.sessions.clear();
  });
  beforeEach(async () => {
    await resetUser();
    await setSetting('bedrockChat.authentication.method', 'profile');
    await setSetting('bedrockChat.authentication.profile', 'mfa');
  });

  it('asks for the code once; STS checks it; a rebuilt client reuses the role session', async () => {
    const server = await bedrockServer();
    const api = await extensionApi();
    const asked: MfaCodeRequest[] = [];
    server.setMfaCode(DEVICE, '246810');
    api.controller.mfa.prompt = async (request) => {
      asked.push(request);
      return '246810';
    };
    const { request } = await chat('hi');
    const sts = server.requests.filter((r) => r.operation === 'sts-assume-role');
    assert.equal(sts.length, 1);
    assert.equal(sts[0].body.SerialNumber, DEVICE);
    assert.equal(sts[0].body.TokenCode, '246810');
    const issued = server.issuedCredentials.filter((c) => c.source === 'sts:AssumeRole').at(-1)!;
    assert.equal((request.auth as { accessKeyId?: string }).accessKeyId, issued.accessKeyId);
    assert.ok((request.auth as { valid?: boolean }).valid);
    assert.deepEqual(asked, [{ profile: 'mfa', mfaSerial: DEVICE, retry: false }]);

    api.controller.clients.renew();
    await chat('again');
    assert.equal(asked.length, 1, 'no second prompt');
    assert.equal(server.requests.filter((r) => r.operation === 'sts-assume-role').length, 1);
  });

  it('the input box appears, and dismissing it ends the request unsent', async () => {
    const server = await bedrockServer();
    const api = await extensionApi();
    api.controller.mfa.prompt = original;
    api.controller.mfa.sessions.clear();
    api.controller.clients.renew();
    const logged = api.controller.log.recent.length;
    let settled = false;
    const pending = chat('hi').then(
      () => assert.fail('the request should not succeed'),
      (err: Error) => ((settled = true), err),
    );
    // Wait for the prompt to be asked (the log says so just before the input box opens), then press Escape.
    for (let i = 0; i < 200 && !api.controller.log.recent.slice(logged).some((l) => /Asking for the MFA code/.test(l)); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(api.controller.log.recent.slice(logged).some((l) => /Asking for the MFA code of arn:aws:iam::111122223333:mfa\/integration \(AWS profile mfa\)/.test(l)));
    await new Promise((r) => setTimeout(r, 200)); // let the input box take focus
    assert.equal(settled, false, 'the request waits for the input box');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    const err = await pending;
    assert.match(err.message, /MFA code for AWS profile "mfa" was not entered, so nothing was sent to Bedrock/);
    assert.equal(server.requests.filter((r) => r.operation === 'sts-assume-role').length, 0);
    assert.equal(server.requests.filter((r) => r.operation === 'converse-stream').length, 0);
  });
});
