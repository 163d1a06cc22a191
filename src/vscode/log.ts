import * as vscode from 'vscode';
import { Redactor } from '../core/auth/redact';

/** The "Bedrock Chat" log channel. Every line passes through the redactor. */
const RECENT_LINES = 500;

export class Log implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  /** The latest lines as written (already redacted), for diagnostics and tests. */
  readonly recent: string[] = [];

  constructor(readonly redactor: Redactor) {
    this.channel = vscode.window.createOutputChannel('Bedrock Chat', { log: true });
  }

  info(message: string): void {
    this.channel.info(this.keep('info', message));
  }
  warn(message: string): void {
    this.channel.warn(this.keep('warn', message));
  }
  error(message: string): void {
    this.channel.error(this.keep('error', message));
  }

  private keep(level: string, message: string): string {
    const line = this.redactor.redact(message);
    this.recent.push(`[${level}] ${line}`);
    if (this.recent.length > RECENT_LINES) this.recent.splice(0, this.recent.length - RECENT_LINES);
    return line;
  }
  show(): void {
    this.channel.show(true);
  }
  dispose(): void {
    this.channel.dispose();
  }
}
