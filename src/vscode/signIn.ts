import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { listProfiles, ProfileSummary } from '../core/auth/awsFiles';
import { readSsoProfile, SsoProfileConfig, ssoProfileFor, SsoSessionStatus, ssoSessionStatus, usableUntil } from '../core/auth/ssoSession';
import { sdk } from '../core/bedrock/lazySdk';
import { ssoSessionError, UserFacingError } from '../core/bedrock/errors';
import { methodAllowed } from '../core/config/policy';
import { BedrockState } from '../core/state';
import { writeUserSetting } from './config';
import type { Controller } from './controller';

/** The token file is polled (stat only), like the AWS files: `aws sso login` in a terminal is seen too. */
const TOKEN_FILE_POLL_MS = 2_000;
/** setTimeout's limit; a session that long is re-checked then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Watches the IAM Identity Center session the current authentication depends
 * on (an `sso` profile, a `profile` or `automatic` one that is or leads to an
 * SSO profile): whether its cached token is missing, expired or valid, from the
 * AWS CLI's cache file. The status bar shows an expired session with a click
 * to sign in, and requests are refused before sending when it is over.
 */
export class SsoSessionMonitor implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  /** Fires when the session's state changes. */
  readonly onDidChange = this.emitter.event;
  private current?: SsoSessionStatus;
  private watched?: { file: string; listener: () => void };
  private timer?: NodeJS.Timeout;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly controller: Controller) {
    this.subscription = controller.onDidChange((state) => void this.check(state));
  }

  /** The session now, or undefined when the authentication does not depend on one. */
  get status(): SsoSessionStatus | undefined {
    return this.current;
  }

  /** What the status bar shows while the session is over, with Sign In as its fix. */
  get problem(): UserFacingError | undefined {
    const s = this.current;
    return s && (s.state === 'missing' || s.state === 'expired') ? ssoSessionError(s.config.profile, s.state) : undefined;
  }

  /**
   * Reads the session for `state` afresh (the file may have changed a moment ago)
   * and returns the error to show instead of sending, if it is over.
   */
  async check(state?: BedrockState): Promise<UserFacingError | undefined> {
    state ??= await this.controller.state();
    let next: SsoSessionStatus | undefined;
    try {
      const config = state.auth.ok ? await ssoProfileFor(state.auth.auth, process.env) : undefined;
      next = config ? await ssoSessionStatus(config) : undefined;
    } catch (err) {
      this.controller.log.warn(`Could not read the IAM Identity Center session: ${(err as Error)?.message ?? err}`);
      next = undefined;
    }
    this.apply(next);
    return this.problem;
  }

  private apply(next: SsoSessionStatus | undefined): void {
    const before = this.current;
    this.current = next;
    this.watch(next?.file);
    this.schedule(next);
    const wasOver = before?.state === 'missing' || before?.state === 'expired';
    const isOver = next?.state === 'missing' || next?.state === 'expired';
    if (before?.state === next?.state && before?.config.profile === next?.config.profile && (before as { expiresAt?: number })?.expiresAt === (next as { expiresAt?: number })?.expiresAt) return;
    if (wasOver && next && !isOver && before?.config.profile === next.config.profile) {
      // Signed in (here, or with `aws sso login` in a terminal): the next request builds new credential providers.
      this.controller.log.info(`IAM Identity Center session for profile ${next.config.profile} is signed in${next.state === 'valid' ? ` until ${new Date(next.expiresAt).toISOString()}` : ''}.`);
      this.controller.renewClients();
      this.controller.models.invalidate();
      if (this.controller.credentialFix === 'signIn') this.controller.setCredentialProblem(undefined);
    } else if (isOver && !wasOver) {
      this.controller.log.warn(this.problem!.message);
    }
    this.emitter.fire();
  }

  private watch(file: string | undefined): void {
    if (this.watched?.file === file) return;
    if (this.watched) fs.unwatchFile(this.watched.file, this.watched.listener);
    this.watched = undefined;
    if (!file) return;
    const listener = () => void this.check();
    fs.watchFile(file, { interval: TOKEN_FILE_POLL_MS, persistent: false }, listener);
    this.watched = { file, listener };
  }

  /** Re-checks when a valid session stops being usable (the status bar turns to "sign in" on time). */
  private schedule(status: SsoSessionStatus | undefined): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const until = status && usableUntil(status);
    if (until === undefined) return;
    this.timer = setTimeout(() => void this.check(), Math.min(Math.max(until - Date.now(), 0) + 1_000, MAX_TIMER_MS));
    this.timer.unref?.();
  }

  dispose(): void {
    this.subscription.dispose();
    this.watch(undefined);
    if (this.timer) clearTimeout(this.timer);
    this.emitter.dispose();
  }
}

/** What the command accepts from scripts and tests: `{ profile: 'corp' }`. */
interface SignInArgs {
  profile?: string;
}

async function pickSsoProfile(controller: Controller): Promise<string | undefined> {
  let profiles: ProfileSummary[];
  try {
    profiles = (await listProfiles()).filter((p) => p.kind === 'sso');
  } catch (e) {
    controller.log.warn(`Could not read AWS config files: ${(e as Error).message}`);
    profiles = [];
  }
  if (!profiles.length) {
    void vscode.window.showWarningMessage(
      'No IAM Identity Center (SSO) profiles in your AWS config file. Ask your administrator for the start URL and region, and add a profile with an [sso-session] section (or run `aws configure sso`).',
    );
    return undefined;
  }
  if (profiles.length === 1) return profiles[0].name;
  const picked = await vscode.window.showQuickPick(
    profiles.map((p) => ({ label: p.name, description: p.region, name: p.name })),
    { title: 'Sign in with IAM Identity Center: which profile?', ignoreFocusOut: true },
  );
  return picked?.name;
}

/**
 * Bedrock: Sign In with IAM Identity Center. Signs in the profile the current
 * authentication uses (for `automatic`: AWS_PROFILE, else default), else one the
 * user picks: with the cached refresh token when it still works, else through
 * the browser (device code shown in a notification, polled with progress and
 * cancel). The token goes to ~/.aws/sso/cache as the AWS CLI writes it, and the
 * next request uses it without a reload. Returns whether it signed in.
 */
export async function signIn(controller: Controller, arg?: unknown): Promise<boolean> {
  const args = arg && typeof arg === 'object' ? (arg as SignInArgs) : {};
  const state = await controller.state();
  let config: SsoProfileConfig | undefined;
  let inUse = false;
  if (typeof args.profile === 'string') {
    const found = await readSsoProfile(args.profile);
    if (!found.ok) {
      void vscode.window.showErrorMessage(found.message);
      return false;
    }
    config = found.config;
  } else {
    config = state.auth.ok ? await ssoProfileFor(state.auth.auth, process.env) : undefined;
    inUse = !!config;
    if (!config) {
      const name = await pickSsoProfile(controller);
      if (!name) return false;
      const found = await readSsoProfile(name);
      if (!found.ok) {
        void vscode.window.showErrorMessage(found.message);
        return false;
      }
      config = found.config;
    }
  }
  if (!inUse && state.auth.ok) {
    const used = await ssoProfileFor(state.auth.auth, process.env);
    inUse = used?.profile === config.profile || (used?.sessionName !== undefined && used.sessionName === config.sessionName);
  }

  const { log } = controller;
  const target = config;
  log.info(`Signing in to IAM Identity Center ${target.startUrl} (profile ${target.profile}${target.sessionName ? `, sso-session ${target.sessionName}` : ''}, region ${target.region}).`);
  let result;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Sign in with IAM Identity Center (${target.profile})`, cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        const cancel = token.onCancellationRequested(() => abort.abort());
        try {
          progress.report({ message: 'contacting IAM Identity Center…' });
          const { signInSso, createHttpHandler } = sdk();
          return await signInSso(target, {
            // Through VS Code's proxy and the trusted CAs, like every other AWS call.
            clientConfig: { requestHandler: createHttpHandler(undefined, state.network) },
            signal: abort.signal,
            onNote: (note) => log.info(note),
            onPending: (a) => {
              log.info(`Opening ${a.verificationUriComplete} in the browser; confirm the code ${a.userCode} there.`);
              progress.report({ message: `confirm the code ${a.userCode} in your browser (${a.verificationUri}).` });
              // Never awaited: the polling goes on while VS Code asks whether to open the page.
              void Promise.resolve(vscode.env.openExternal(vscode.Uri.parse(a.verificationUriComplete))).then(
                (opened) => {
                  if (opened) return;
                  void vscode.window
                    .showInformationMessage(`Open ${a.verificationUri} in a browser and enter the code ${a.userCode}.`, 'Copy Code')
                    .then((choice) => choice && vscode.env.clipboard.writeText(a.userCode));
                },
                (err) => log.warn(`Could not open the browser: ${(err as Error)?.message ?? err}`),
              );
            },
          });
        } finally {
          cancel.dispose();
        }
      },
    );
  } catch (err) {
    const message = (err as Error)?.message ?? String(err);
    // By name: SsoSignInError comes from dist/sdk.js, which has its own copy of the class.
    if ((err as { name?: unknown })?.name === 'SsoSignInError' && (err as { reason?: unknown }).reason === 'cancelled') {
      log.info('Sign-in cancelled.');
      return false;
    }
    log.error(`Sign-in to ${target.startUrl} failed: ${message}`);
    void vscode.window.showErrorMessage(message);
    return false;
  }

  const until = new Date(Date.parse(result.token.expiresAt));
  log.info(`Signed in to ${target.startUrl} (${result.method === 'refresh' ? 'refresh token, no browser' : 'device authorization'}); session valid until ${until.toISOString()}; token written to ${result.file}.`);
  // New credential providers for the next request, and models discovered with the new session.
  controller.renewClients();
  controller.models.invalidate();
  controller.setCredentialProblem(undefined);
  await controller.sso.check();
  if (inUse) {
    void vscode.window.showInformationMessage(`Signed in to IAM Identity Center (profile ${target.profile}) until ${until.toLocaleTimeString()}.`);
    return true;
  }
  // Signed in to a profile Bedrock does not use yet: offer to use it.
  // Not offered where the organisation pins the method or profile, or its policy does not allow SSO.
  const pinned = state.settings.authMethod.layer === 'managed' || state.settings.profile.layer === 'managed' || !methodAllowed(state.policy, 'sso');
  const use = 'Use for Bedrock';
  void vscode.window
    .showInformationMessage(`Signed in to IAM Identity Center (profile ${target.profile}) until ${until.toLocaleTimeString()}.`, ...(pinned ? [] : [use]))
    .then(async (choice) => {
      if (choice !== use) return;
      await writeUserSetting('authMethod', 'sso');
      await writeUserSetting('profile', target.profile);
    });
  return true;
}
