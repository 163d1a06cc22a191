import * as vscode from 'vscode';
import { COMMANDS } from '../core/config/commands';
import { DEMO_ENV, statusView } from './statusView';
import { Controller } from './controller';

export const STATUS_MENU_COMMAND = COMMANDS.manage.id;

/** Always shows the active method; an error state when setup is incomplete or credentials failed. */
export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('bedrockChat.status', vscode.StatusBarAlignment.Right, 100);
  private readonly subscription: vscode.Disposable;
  private timer?: NodeJS.Timeout;

  constructor(private readonly controller: Controller) {
    this.item.name = 'Amazon Bedrock';
    this.item.command = STATUS_MENU_COMMAND;
    this.subscription = vscode.Disposable.from(
      controller.onDidChangeStatus(() => void this.update()),
      controller.sso.onDidChange(() => void this.update()),
    );
    void this.update();
    this.item.show();
  }

  /** What the item shows now (exposed for tests). */
  get text(): string {
    return this.item.text;
  }
  get tooltip(): string {
    return typeof this.item.tooltip === 'string' ? this.item.tooltip : (this.item.tooltip?.value ?? '');
  }
  /** The command a click runs. */
  get command(): string | undefined {
    return typeof this.item.command === 'string' ? this.item.command : this.item.command?.command;
  }

  async update(): Promise<void> {
    const state = await this.controller.state();
    const view = statusView(state, { demo: process.env[DEMO_ENV] === '1' });
    // A failed request's problem, else an IAM Identity Center session found over before any request.
    const sso = this.controller.sso.problem;
    const problem = this.controller.credentialProblem ?? sso?.message;
    const signIn = (this.controller.credentialProblem ? this.controller.credentialFix : sso?.fix) === 'signIn' && !view.error;
    this.item.text = problem ? `$(error) ${view.text.replace(/^\$\([a-z-]+\) /, '')}${signIn ? ': sign in' : ''}` : view.text;
    this.item.tooltip = problem ? `${problem}${signIn ? '\nClick to sign in with IAM Identity Center.' : ''}\n\n${view.tooltip}` : view.tooltip;
    this.item.command = signIn ? COMMANDS.signIn.id : STATUS_MENU_COMMAND;
    this.item.backgroundColor = view.error || problem ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    // A short-term API key starts expiring, or expires, with no event: look again then.
    if (this.timer) clearTimeout(this.timer);
    this.timer = view.refreshAt !== undefined ? setTimeout(() => void this.update(), Math.min(Math.max(view.refreshAt - Date.now(), 0) + 1_000, 2 ** 31 - 1)) : undefined;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.subscription.dispose();
    this.item.dispose();
  }
}
