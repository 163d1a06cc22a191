import * as vscode from 'vscode';
import type { CallerIdentity } from '../core/auth/types';
import { sdk } from '../core/bedrock/lazySdk';
import { connectionReport } from '../core/diagnostics';
import type { Controller } from './controller';

const EXTENSION_ID = 'bedrock-chat.bedrock-chat';
const COPY = 'Copy Report';

/**
 * Bedrock: Show Connection Details. Asks STS who the credentials are (not for
 * API keys), then shows the report (src/core/diagnostics.ts) in an untitled
 * Markdown document, with one click to copy it for a support ticket. Every
 * secret is left out. `{ show: false }` (tests, scripts) only returns the text.
 */
export async function showConnectionDetails(controller: Controller, arg?: unknown): Promise<string> {
  const show = !(arg && typeof arg === 'object' && (arg as { show?: unknown }).show === false);
  const state = await controller.state();
  let identity: CallerIdentity | undefined;
  if (state.auth.ok) {
    identity = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Bedrock: asking AWS who these credentials are…', cancellable: true },
      async (_progress, token) => {
        const abort = new AbortController();
        const cancel = token.onCancellationRequested(() => abort.abort());
        try {
          return await sdk().callerIdentity(controller.clientTarget(state), abort.signal);
        } finally {
          cancel.dispose();
        }
      },
    );
  }
  const trust = sdk().loadTrustStore(state.network);
  const report = connectionReport({
    state,
    now: Date.now(),
    product: {
      extension: String(vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON?.version ?? 'unknown'),
      vscode: vscode.version,
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
    },
    identity,
    trust,
    sso: controller.sso.status,
    redact: (s) => controller.redactor.redact(s),
  });
  controller.log.info(`Connection details: ${identity?.arn ? `caller ${identity.arn}` : identity?.skipped ? 'no caller identity (API key)' : identity?.error ? `caller identity failed: ${identity.error}` : 'not configured'}.`);
  if (!show) return report;
  const doc = await vscode.workspace.openTextDocument({ content: report, language: 'markdown' });
  await vscode.window.showTextDocument(doc, { preview: true });
  void vscode.window
    .showInformationMessage('Bedrock connection details: keys, tokens and passwords are left out, so the report can go into a support ticket.', COPY)
    .then(async (choice) => {
      if (choice !== COPY) return;
      await vscode.env.clipboard.writeText(report);
      void vscode.window.showInformationMessage('Connection details copied.');
    });
  return report;
}
