/**
 * Shared set-up for the extension-host tests: the local Bedrock server on the
 * port the runner chose, the extension's API, and helpers to drive settings,
 * commands and requests exactly as a user's VS Code would.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { BedrockChatApi } from '../../src/extension';
import { startBedrockServer, type BedrockServer, type RecordedRequest } from '../support';

export const EXTENSION_ID = 'bedrock-chat.bedrock-chat';
export const VENDOR = 'amazon-bedrock';

/** Set by scripts/test-integration.js for the extension host. */
export const testEnv = {
  port: Number(process.env.BEDROCK_TEST_PORT),
  home: process.env.HOME!,
  configFile: process.env.AWS_CONFIG_FILE!,
  credentialsFile: process.env.AWS_SHARED_CREDENTIALS_FILE!,
  managedFile: process.env.BEDROCK_CHAT_MANAGED_SETTINGS!,
  envBearer: process.env.AWS_BEARER_TOKEN_BEDROCK!,
};

let server: BedrockServer | undefined;
let api: BedrockChatApi | undefined;

export async function bedrockServer(): Promise<BedrockServer> {
  assert.ok(testEnv.port > 0, 'BEDROCK_TEST_PORT must be set by the runner');
  server ??= await startBedrockServer({ port: testEnv.port });
  return server;
}

export async function extensionApi(): Promise<BedrockChatApi> {
  if (api) return api;
  const ext = vscode.extensions.getExtension<BedrockChatApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is installed in the host`);
  api = await ext.activate();
  return api;
}

const SETTINGS = [
  'bedrockChat.authentication.method',
  'bedrockChat.authentication.profile',
  'bedrockChat.region',
  'bedrockChat.endpoint',
  'bedrockChat.models.custom',
  'bedrockChat.controlPlaneEndpoint',
  'bedrockChat.models.inferenceProfile',
  'bedrockChat.models.hidden',
];

/** Back to a blank user: no settings but the endpoint, no stored secrets, no managed file. */
export async function resetUser(): Promise<void> {
  const s = await bedrockServer();
  s.reset();
  const config = vscode.workspace.getConfiguration();
  for (const id of SETTINGS) await config.update(id, undefined, vscode.ConfigurationTarget.Global);
  await config.update('bedrockChat.endpoint', s.endpoint, vscode.ConfigurationTarget.Global);
  await vscode.commands.executeCommand('bedrockChat.clearCredentials', 'confirm');
  fs.rmSync(testEnv.managedFile, { force: true });
  await (await extensionApi()).controller.refresh('test reset');
}

export async function setSetting(id: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration().update(id, value, vscode.ConfigurationTarget.Global);
  await (await extensionApi()).controller.refresh('test setting');
}

export async function bedrockModel(id?: string): Promise<vscode.LanguageModelChat> {
  const models = await vscode.lm.selectChatModels({ vendor: VENDOR, ...(id ? { id } : {}) });
  assert.ok(models.length > 0, `no Amazon Bedrock model${id ? ` with id ${id}` : ''}`);
  return models[0];
}

export const NOVA_MICRO = 'us.amazon.nova-micro-v1:0';
export const CLAUDE = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';

/** Sends one user message and returns the streamed parts and the request the server saw. */
export async function chat(
  text: string | vscode.LanguageModelChatMessage[],
  options: vscode.LanguageModelChatRequestOptions = {},
  modelId = NOVA_MICRO,
): Promise<{ parts: unknown[]; text: string; request: RecordedRequest }> {
  const s = await bedrockServer();
  const before = s.requests.length;
  const model = await bedrockModel(modelId);
  const messages = typeof text === 'string' ? [vscode.LanguageModelChatMessage.User(text)] : text;
  const response = await model.sendRequest(messages, options, new vscode.CancellationTokenSource().token);
  const parts: unknown[] = [];
  for await (const part of response.stream) parts.push(part);
  const request = s.requests.slice(before).find((r) => r.operation === 'converse-stream');
  assert.ok(request, 'the server received a ConverseStream request');
  const streamed = parts.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
  return { parts, text: streamed, request };
}

/** Resolves when `event` fires, or rejects after `ms`. */
export function nextEvent<T>(event: vscode.Event<T>, ms = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`event did not fire within ${ms} ms`));
    }, ms);
    const sub = event((e) => {
      clearTimeout(timer);
      sub.dispose();
      resolve(e);
    });
  });
}
