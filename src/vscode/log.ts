import * as vscode from 'vscode';
import { Redactor } from '../core/redact';

/** The "Bedrock Chat" log channel. Every line passes through the redactor. */
export class Log implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;

  constructor(readonly redactor: Redactor) {
    this.channel = vscode.window.createOutputChannel('Bedrock Chat', { log: true });
  }

  info(message: string): void {
    this.channel.info(this.redactor.redact(message));
  }
  warn(message: string): void {
    this.channel.warn(this.redactor.redact(message));
  }
  error(message: string): void {
    this.channel.error(this.redactor.redact(message));
  }
  show(): void {
    this.channel.show(true);
  }
  dispose(): void {
    this.channel.dispose();
  }
}
