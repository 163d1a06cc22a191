import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { awsFilePaths, profileRegion } from '../core/auth/awsFiles';
import { knownSecrets, Redactor } from '../core/auth/redact';
import type { ClientCache, ClientTarget } from '../core/bedrock/client';
import { sdk } from '../core/bedrock/lazySdk';
import { FixCommand } from '../core/config/commands';
import { managedSettingsPath, readManagedSettings } from '../core/config/managedSettings';
import { DEFAULT_IDLE_TIMEOUT_SECONDS } from '../core/config/settings';
import { BedrockState, resolveState } from '../core/state';
import { readSettingLayers } from './config';
import { Log } from './log';
import { apiKeyInfo, apiKeyLabel, apiKeyWarnings } from '../core/auth/apiKeyInfo';
import { networkSecrets, redactProxyUrl } from '../core/config/network';
import { affectsNetwork, readNetworkSettings } from './network';
import { readPolicyElsewhere } from './policy';
import { ModelList } from './modelList';
import { Secrets } from './secrets';
import { SsoSessionMonitor } from './signIn';
import { MfaOptions, MfaSessions, withoutPrompt } from '../core/auth/mfa';
import { envProfile } from '../core/config/env';
import { mfaPrompt } from './mfaPrompt';

const MANAGED_POLL_MS = 5_000;
/** The user's AWS files are polled (stat only): editors replace files, which plain watchers lose. */
const AWS_FILES_POLL_MS = 2_000;

/**
 * Holds the current resolved state and keeps it fresh: settings, secrets, the
 * managed file and workspace trust all trigger a re-resolution, after which
 * `onDidChange` fires (the provider forwards it so the model list refreshes).
 */
export class Controller implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<BedrockState>();
  /** Fires after every re-resolution (models, auth, region or endpoint may have changed). */
  readonly onDidChange = this.emitter.event;
  private readonly statusEmitter = new vscode.EventEmitter<void>();
  /** Fires when anything the status bar shows changes. */
  readonly onDidChangeStatus = this.statusEmitter.event;
  private readonly disposables: vscode.Disposable[] = [this.emitter, this.statusEmitter];
  private clientCache?: ClientCache;
  /** The models offered: catalogue and custom models merged with live discovery. */
  readonly models: ModelList;
  private current?: BedrockState;
  private pending?: Promise<BedrockState>;
  private queued = false;
  /** A credential failure seen on the last request (shown until the next change or success). */
  credentialProblem?: string;
  /** The command that fixes `credentialProblem` (Sign In for an SSO session that is over). */
  credentialFix?: FixCommand;
  /** The IAM Identity Center session the current authentication depends on, if any. */
  readonly sso: SsoSessionMonitor;
  /** MFA codes come from an input box; the role sessions they open outlive client renewals. */
  readonly mfa: MfaOptions;
  private readonly managedPath = managedSettingsPath(process.env);

  constructor(
    private readonly secrets: Secrets,
    readonly log: Log,
    readonly redactor: Redactor,
  ) {
    // Discovery runs from the picker, which never prompts: it uses MFA sessions a chat request bought, and asks for none.
    this.models = new ModelList(log, { credentialClientConfig: () => ({ mfa: { ...withoutPrompt(this.mfa), defaultProfile: envProfile(process.env) } }) });
    this.sso = new SsoSessionMonitor(this);
    this.mfa = { prompt: mfaPrompt(log), sessions: new MfaSessions() };
    this.disposables.push(
      this.models,
      // The picker fell back for want of an MFA session; a chat request has just bought one.
      this.mfa.sessions.onSession(() => this.models.retryFailed()),
      this.sso,
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('bedrockChat') && this.trigger('settings changed')),
      // VS Code's proxy and certificate settings: new clients (and a new look for models) go out the new way.
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!affectsNetwork(e)) return;
        this.models.invalidate();
        this.trigger('proxy or certificate settings changed');
      }),
      secrets.onDidChange((e) => e.key.startsWith('bedrockChat.') && this.trigger('stored credentials changed')),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.trigger('workspace trusted')),
    );
    const onManagedChange = () => this.trigger('managed settings file changed');
    this.watch(this.managedPath, MANAGED_POLL_MS, onManagedChange);
    // Rotated keys or a new role in ~/.aws: new credential providers, and the profile's region may have changed.
    const onAwsFilesChange = () => {
      this.renewClients();
      this.models.invalidate();
      this.trigger('AWS config or credentials file changed');
    };
    const aws = awsFilePaths(process.env);
    for (const file of [aws.config, aws.credentials]) this.watch(file, AWS_FILES_POLL_MS, onAwsFilesChange);
  }

  /**
   * The Bedrock runtime clients (one per target, rebuilt when it changes). The
   * first use loads the AWS SDK (dist/sdk.js): the first chat request, not activation.
   */
  get clients(): ClientCache {
    return (this.clientCache ??= new (sdk().ClientCache)());
  }

  /** The next request gets a new client: new credential providers, new connections. Before the first request there is none to renew. */
  renewClients(): void {
    this.clientCache?.renew();
  }

  private watch(file: string, interval: number, listener: () => void): void {
    fs.watchFile(file, { interval, persistent: false }, listener);
    this.disposables.push({ dispose: () => fs.unwatchFile(file, listener) });
  }

  /** The latest state: a re-resolution under way wins over the last one, so a request never uses stale settings. */
  async state(): Promise<BedrockState> {
    return this.pending ?? this.current ?? this.refresh('startup');
  }

  /** A refresh from an event: failures are logged, never unhandled. */
  private trigger(reason: string): void {
    this.refresh(reason).catch((err) => this.log.error(`Could not re-read the configuration (${reason}): ${(err as Error)?.message ?? err}`));
  }

  /** Re-resolves everything; concurrent triggers coalesce into one extra run. */
  refresh(reason: string): Promise<BedrockState> {
    if (this.pending) {
      this.queued = true;
      return this.pending;
    }
    this.pending = (async () => {
      try {
        let state: BedrockState;
        do {
          this.queued = false;
          state = await this.resolve();
        } while (this.queued);
        this.current = state;
        this.credentialProblem = undefined;
        this.credentialFix = undefined;
        this.logState(state, reason);
        this.emitter.fire(state);
        this.statusEmitter.fire();
        return state;
      } finally {
        this.pending = undefined;
        // A trigger that arrived while events were being fired still gets its run.
        if (this.queued) {
          this.queued = false;
          this.trigger(reason);
        }
      }
    })();
    return this.pending;
  }

  private async resolve(): Promise<BedrockState> {
    const secrets = await this.secrets.load();
    const env = { ...process.env };
    const network = readNetworkSettings();
    // Proxy passwords and the Proxy-Authorization value are secrets too.
    this.redactor.setSecrets([...knownSecrets(secrets, env), ...networkSecrets(network, env)]);
    const managed = await readManagedSettings(this.managedPath);
    return resolveState({ layers: readSettingLayers(), managed, secrets, env, profileRegion, network, policyElsewhere: readPolicyElsewhere() });
  }

  private logState(state: BedrockState, reason: string): void {
    if (state.managed.error) this.log.error(state.managed.error);
    if (state.managed.unknownKeys.length) this.log.warn(`Managed settings file ${state.managed.path} has unknown keys: ${state.managed.unknownKeys.join(', ')}`);
    for (const p of state.problems) this.log.warn(`Setting ${p.id} (${p.layer}) ignored: ${p.message}`);
    // A short-term API key that is expired, expiring or for another region: said once per change, never the key.
    if (state.auth.ok && state.auth.auth.kind === 'apiKey') {
      for (const w of apiKeyWarnings(apiKeyInfo(state.auth.auth.apiKey), state.region.region, Date.now())) this.log.warn(`${apiKeyLabel(state.auth.auth.apiKey)}: ${w.message}`);
    }
    if (state.network.httpsProxy) this.log.info(`Proxy: ${redactProxyUrl(state.network.httpsProxy.url)} (from ${state.network.httpsProxy.source})${state.network.noProxy.length ? `; not for ${state.network.noProxy.join(', ')}` : ''}${state.network.strictSSL ? '' : '; certificate checks through the proxy are off (http.proxyStrictSSL)'}`);
    const auth = state.auth.ok ? `${state.auth.auth.kind} from ${state.auth.source}` : `not configured: ${state.auth.message}`;
    this.log.info(`Configuration (${reason}): auth ${auth}; region ${state.region.region} (${state.region.source}); endpoint ${state.endpoint ?? 'default'}; control plane ${state.controlPlane.skip ? 'not used' : (state.controlPlane.endpoint ?? 'default')}; ${state.models.length} catalogue and custom models`);
  }

  /** Where requests for this state go; `clients` builds (and rebuilds) the client for it. */
  clientTarget(state: BedrockState): ClientTarget {
    if (!state.auth.ok) throw new Error(state.auth.message);
    return {
      auth: state.auth.auth,
      region: state.region.region,
      endpoint: state.endpoint,
      idleTimeoutSeconds: state.settings.idleTimeoutSeconds.value ?? DEFAULT_IDLE_TIMEOUT_SECONDS,
      credentialClientConfig: { mfa: { ...this.mfa, defaultProfile: envProfile(process.env) } },
      network: state.network,
    };
  }

  setCredentialProblem(message: string | undefined, fix?: FixCommand): void {
    if (this.credentialProblem === message && this.credentialFix === fix) return;
    this.credentialProblem = message;
    this.credentialFix = message ? fix : undefined;
    this.statusEmitter.fire();
  }

  dispose(): void {
    this.clientCache?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
