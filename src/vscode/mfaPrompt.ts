import * as vscode from 'vscode';
import { MfaCodePrompt, mfaCodeProblem } from '../core/auth/mfa';
import { Log } from './log';

/**
 * The MFA code for an assume-role profile with `mfa_serial`, in a masked input
 * box: six digits, validated as typed; Escape cancels (the request then ends
 * without being sent, and nothing retries it). Asked only when the SDK needs a
 * new role session; the session is kept until it expires (core/auth/mfa.ts).
 */
export function mfaPrompt(log: Log): MfaCodePrompt {
  return async ({ profile, mfaSerial, retry }) => {
    log.info(`Asking for the MFA code of ${mfaSerial} (AWS profile ${profile})${retry ? ' again: AWS refused the last one' : ''}.`);
    const code = await vscode.window.showInputBox({
      title: `Amazon Bedrock: MFA code for AWS profile "${profile}"`,
      prompt: `${retry ? 'AWS did not accept the last code. ' : ''}Enter the 6-digit code your MFA device shows now (${mfaSerial}). The role session it opens is reused until it expires.`,
      placeHolder: '123456',
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => mfaCodeProblem(value),
    });
    if (code === undefined) log.info(`MFA code entry for AWS profile ${profile} cancelled.`);
    return code?.trim();
  };
}
