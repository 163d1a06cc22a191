import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { awsFilePaths } from '../core/auth/awsFiles';
import { AuthResolution } from '../core/auth/resolve';
import { Env, envValue } from '../core/config/env';
import { Controller } from './controller';

/** `contributes.walkthroughs[].id` in package.json: "Get started with Amazon Bedrock". */
export const WALKTHROUGH_ID = 'getStarted';
/** globalState key: the walkthrough was opened for a first run (per machine: credentials are). */
export const WALKTHROUGH_SHOWN_KEY = 'bedrockChat.walkthroughShown';

/** Variables through which the SDK default chain finds credentials without any AWS file. */
const DEFAULT_CHAIN_ENV = ['AWS_PROFILE', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'];

/**
 * True when nothing says how to reach AWS: no method in settings, no stored
 * secret, no credential variables, no AWS config or credentials file. (An
 * instance role could still work; the walkthrough opens once and is harmless.)
 */
export function noCredentialsFound(auth: AuthResolution, env: Env, fileHasContent: (file: string) => boolean): boolean {
  if (!auth.ok || auth.source !== 'defaultChain') return false;
  if (DEFAULT_CHAIN_ENV.some((name) => envValue(env, name))) return false;
  const files = awsFilePaths(env);
  return !fileHasContent(files.config) && !fileHasContent(files.credentials);
}

function fileHasContent(file: string): boolean {
  try {
    return fs.statSync(file).size > 0;
  } catch {
    return false;
  }
}

/**
 * On activation: opens the walkthrough when no credentials are found and it
 * was never opened on this machine. Never again after that; never when the
 * user turned off `workbench.welcomePage.walkthroughs.openOnInstall`.
 */
export async function openWalkthroughOnFirstRun(context: vscode.ExtensionContext, controller: Controller): Promise<boolean> {
  try {
    if (context.globalState.get<boolean>(WALKTHROUGH_SHOWN_KEY)) return false;
    if (!vscode.workspace.getConfiguration('workbench.welcomePage').get<boolean>('walkthroughs.openOnInstall', true)) return false;
    const state = await controller.state();
    if (!noCredentialsFound(state.auth, process.env, fileHasContent)) return false;
    await context.globalState.update(WALKTHROUGH_SHOWN_KEY, true);
    controller.log.info('No AWS credentials found: opening the "Get started with Amazon Bedrock" walkthrough (first run only).');
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#${WALKTHROUGH_ID}`, false);
    return true;
  } catch (err) {
    controller.log.warn(`Could not open the getting-started walkthrough: ${(err as Error)?.message ?? err}`);
    return false;
  }
}
