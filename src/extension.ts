import * as vscode from 'vscode';
import { Redactor } from './core/auth/redact';
import { registerCommands } from './vscode/commands';
import { Controller } from './vscode/controller';
import { Log } from './vscode/log';
import { BedrockChatProvider, VENDOR } from './vscode/provider';
import { Secrets } from './vscode/secrets';
import { StatusBar } from './vscode/statusBar';
import { openWalkthroughOnFirstRun } from './vscode/walkthrough';

/** What activate() returns, for the extension-host tests. */
export interface BedrockChatApi {
  controller: Controller;
  provider: BedrockChatProvider;
  statusBar: StatusBar;
  /** `<user data>/User/globalStorage/<id>`: tests find the user's settings.json beside it. */
  globalStorageUri: vscode.Uri;
}

export function activate(context: vscode.ExtensionContext): BedrockChatApi {
  const redactor = new Redactor();
  const log = new Log(redactor);
  const secrets = new Secrets(context.secrets);
  const controller = new Controller(secrets, log, redactor);
  const provider = new BedrockChatProvider(controller);
  const statusBar = new StatusBar(controller);
  context.subscriptions.push(
    log,
    controller,
    statusBar,
    vscode.lm.registerLanguageModelChatProvider(VENDOR, provider),
    ...registerCommands(controller, secrets),
  );
  // Models appear only once the provider says they changed.
  provider.notifyChanged();
  void controller.state();
  void openWalkthroughOnFirstRun(context, controller);
  return { controller, provider, statusBar, globalStorageUri: context.globalStorageUri };
}

export function deactivate(): void {}
