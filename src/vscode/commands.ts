import * as vscode from 'vscode';
import { listProfiles, ProfileSummary } from '../core/auth/awsFiles';
import { accessKeyIdWarning, apiKeyWarning, looksLikeAccessKeyId } from '../core/auth/keyShapes';
import { CommandKey, COMMANDS } from '../core/config/commands';
import { BEDROCK_REGIONS } from '../core/config/regions';
import { allowedMethodsText, methodAllowed, POLICY_IDS } from '../core/config/policy';
import { AUTH_METHODS, AuthMethodSetting, SETTING_IDS } from '../core/config/settings';
import { writeUserSetting } from './config';
import { showConnectionDetails } from './connectionDetails';
import { Controller } from './controller';
import { AUTH_LABELS } from './labels';
import { Secrets } from './secrets';
import { signIn } from './signIn';

const METHOD_DETAILS: Record<AuthMethodSetting, string> = {
  automatic: 'AWS SDK default chain: AWS_PROFILE, SSO, web identity, container and instance roles',
  profile: 'A named profile from ~/.aws/config or ~/.aws/credentials',
  sso: 'IAM Identity Center: a profile you sign in to with "Sign In with IAM Identity Center" (or `aws sso login`)',
  iamCredentials: 'An access key ID and secret access key, stored in VS Code SecretStorage',
  apiKey: 'A Bedrock API key, stored in VS Code SecretStorage',
};

const PROFILE_KIND: Record<ProfileSummary['kind'], string> = {
  sso: 'SSO',
  assumeRole: 'assume role',
  process: 'credential process',
  webIdentity: 'web identity',
  keys: 'access keys',
  other: '',
};

export function registerCommands(controller: Controller, secrets: Secrets): vscode.Disposable[] {
  /** Refuses to change a setting the administrator pinned, saying so. */
  async function managedPin(key: 'authMethod' | 'profile' | 'region'): Promise<boolean> {
    const state = await controller.state();
    if (state.settings[key].layer !== 'managed') return false;
    void vscode.window.showInformationMessage(`${SETTING_IDS[key]} is managed by your organisation (${state.managed.path}) and cannot be changed here.`);
    return true;
  }

  /** Refuses a method the administrator's policy does not allow (bedrockChat.allowedAuthenticationMethods), saying which are. */
  async function policyForbids(method: AuthMethodSetting, action: string): Promise<boolean> {
    const state = await controller.state();
    if (!state.policy.error && methodAllowed(state.policy, method)) return false;
    const why = state.policy.error ?? `${AUTH_LABELS[method]} is not allowed by your organisation's policy (${POLICY_IDS.allowedMethods} in ${state.policy.path}). Allowed: ${allowedMethodsText(state.policy)}.`;
    void vscode.window.showWarningMessage(`Cannot ${action}: ${why}`);
    return true;
  }

  async function offerMethod(method: AuthMethodSetting): Promise<void> {
    const state = await controller.state();
    const current = state.settings.authMethod;
    if (current.value === undefined || current.value === method || current.layer === 'managed') return;
    const choice = await vscode.window.showInformationMessage(
      `Stored. Your authentication method is "${AUTH_LABELS[current.value]}"; switch to "${AUTH_LABELS[method]}"?`,
      'Switch',
    );
    if (choice === 'Switch') await writeUserSetting('authMethod', method);
  }

  async function setApiKey(arg?: unknown): Promise<void> {
    let input = typeof arg === 'string' ? arg : undefined;
    // Removing a key is always allowed; storing one the policy forbids is not.
    if (input?.trim() !== '' && (await policyForbids('apiKey', 'store an API key'))) return;
    if (input === undefined) {
      input = await vscode.window.showInputBox({
        title: 'Set Bedrock API Key',
        prompt: 'Paste your Amazon Bedrock API key. It is kept only in VS Code SecretStorage. Leave empty to remove the stored key.',
        password: true,
        ignoreFocusOut: true,
        validateInput: (v) => {
          const warning = apiKeyWarning(v);
          return warning ? { message: warning, severity: vscode.InputBoxValidationSeverity.Warning } : undefined;
        },
      });
      if (input === undefined) return; // cancelled: nothing changes
    }
    const key = input.trim();
    await secrets.setApiKey(key || undefined);
    await controller.refresh('API key stored');
    if (!key) {
      void vscode.window.showInformationMessage('Stored Bedrock API key removed.');
      return;
    }
    if (looksLikeAccessKeyId(key)) {
      void vscode.window.showWarningMessage('The stored API key looks like an AWS access key ID; Bedrock will reject it. Use "Bedrock: Set IAM Credentials" instead.');
    }
    await offerMethod('apiKey');
  }

  async function setIamCredentials(arg?: unknown): Promise<void> {
    const given = arg && typeof arg === 'object' ? (arg as Record<string, unknown>) : undefined;
    let accessKeyId = typeof given?.accessKeyId === 'string' ? given.accessKeyId : undefined;
    let secretAccessKey = typeof given?.secretAccessKey === 'string' ? given.secretAccessKey : undefined;
    let sessionToken = typeof given?.sessionToken === 'string' ? given.sessionToken : undefined;
    if ((!given || (typeof accessKeyId === 'string' && accessKeyId.trim())) && (await policyForbids('iamCredentials', 'store IAM credentials'))) return;
    if (!given) {
      const existing = (await secrets.load()).iamCredentials;
      accessKeyId = await vscode.window.showInputBox({
        title: 'Set IAM Credentials (1/3): access key ID',
        prompt: 'AWS access key ID (AKIA… or ASIA…). Leave empty to remove stored IAM credentials.',
        value: existing?.accessKeyId,
        ignoreFocusOut: true,
        validateInput: (v) => {
          const warning = accessKeyIdWarning(v);
          return warning ? { message: warning, severity: vscode.InputBoxValidationSeverity.Warning } : undefined;
        },
      });
      if (accessKeyId === undefined) return;
      if (accessKeyId.trim()) {
        secretAccessKey = await vscode.window.showInputBox({
          title: 'Set IAM Credentials (2/3): secret access key',
          prompt: 'AWS secret access key',
          password: true,
          ignoreFocusOut: true,
          validateInput: (v) => (v.trim() ? undefined : 'The secret access key is required.'),
        });
        if (secretAccessKey === undefined) return;
        sessionToken = await vscode.window.showInputBox({
          title: 'Set IAM Credentials (3/3): session token',
          prompt: accessKeyId.trim().startsWith('ASIA') ? 'Session token (required for temporary ASIA… keys)' : 'Session token (only for temporary credentials; leave empty otherwise)',
          password: true,
          ignoreFocusOut: true,
        });
        if (sessionToken === undefined) return;
      }
    }
    const id = accessKeyId?.trim() ?? '';
    if (!id) {
      await secrets.setIamCredentials(undefined);
      await controller.refresh('IAM credentials removed');
      void vscode.window.showInformationMessage('Stored IAM credentials removed.');
      return;
    }
    const secret = secretAccessKey?.trim() ?? '';
    if (!secret) {
      void vscode.window.showErrorMessage('Both an access key ID and a secret access key are needed; nothing was stored.');
      return;
    }
    const token = sessionToken?.trim();
    await secrets.setIamCredentials({ accessKeyId: id, secretAccessKey: secret, ...(token ? { sessionToken: token } : {}) });
    await controller.refresh('IAM credentials stored');
    if (id.startsWith('ASIA') && !token) {
      void vscode.window.showWarningMessage('Temporary (ASIA…) access keys need a session token; requests will fail without one.');
    }
    await offerMethod('iamCredentials');
  }

  async function clearCredentials(arg?: unknown): Promise<void> {
    if (arg !== 'confirm') {
      const choice = await vscode.window.showWarningMessage('Remove the Bedrock API key and IAM credentials stored in VS Code?', { modal: true }, 'Remove');
      if (choice !== 'Remove') return;
    }
    await secrets.clear();
    await controller.refresh('stored credentials cleared');
  }

  async function selectAuthMethod(arg?: unknown): Promise<void> {
    if (await managedPin('authMethod')) return;
    let method: AuthMethodSetting | undefined | null = (AUTH_METHODS as readonly unknown[]).includes(arg) ? (arg as AuthMethodSetting) : undefined;
    if (!method) {
      const state = await controller.state();
      const items: (vscode.QuickPickItem & { method: AuthMethodSetting | null })[] = [
        { label: 'Not set', description: 'stored secrets, then environment variables, then the SDK default chain', method: null },
        ...AUTH_METHODS.map((m) => ({
          label: AUTH_LABELS[m],
          description: !methodAllowed(state.policy, m) ? '$(lock) not allowed by your organisation' : m === state.settings.authMethod.value ? '(current)' : undefined,
          detail: METHOD_DETAILS[m],
          method: m,
        })),
      ];
      const picked = await vscode.window.showQuickPick(items, { title: 'Bedrock: authentication method', ignoreFocusOut: true });
      if (!picked) return;
      method = picked.method;
    }
    if (method && (await policyForbids(method, `use ${AUTH_LABELS[method]}`))) return;
    await writeUserSetting('authMethod', method ?? undefined);
    const stored = await secrets.load();
    if (method === 'apiKey' && !stored.apiKey && arg === undefined) await setApiKey();
    else if (method === 'iamCredentials' && !stored.iamCredentials && arg === undefined) await setIamCredentials();
    else if ((method === 'profile' || method === 'sso') && arg === undefined) await selectProfile();
  }

  async function selectProfile(arg?: unknown): Promise<void> {
    if (await managedPin('profile')) return;
    let profile = typeof arg === 'string' ? arg : undefined;
    if (profile === undefined) {
      let profiles: ProfileSummary[] = [];
      try {
        profiles = await listProfiles();
      } catch (e) {
        controller.log.warn(`Could not read AWS config files: ${(e as Error).message}`);
      }
      if (!profiles.length) {
        void vscode.window.showWarningMessage('No profiles found in your AWS config or credentials files. Create one with `aws configure sso` or `aws configure --profile NAME`.');
        return;
      }
      const picked = await vscode.window.showQuickPick(
        profiles.map((p) => ({ label: p.name, description: [PROFILE_KIND[p.kind], p.region].filter(Boolean).join(' · '), profile: p })),
        { title: 'Bedrock: AWS profile', ignoreFocusOut: true },
      );
      if (!picked) return;
      profile = picked.profile.name;
      const state = await controller.state();
      const method = picked.profile.kind === 'sso' ? 'sso' : 'profile';
      if ((!state.settings.authMethod.value || state.settings.authMethod.value === 'automatic') && methodAllowed(state.policy, method)) {
        await writeUserSetting('authMethod', method);
      }
    }
    await writeUserSetting('profile', profile || undefined);
  }

  async function selectRegion(arg?: unknown): Promise<void> {
    if (await managedPin('region')) return;
    let region = typeof arg === 'string' ? arg : undefined;
    if (region === undefined) {
      const state = await controller.state();
      const items: (vscode.QuickPickItem & { region: string | null })[] = [
        { label: 'Use AWS default', description: 'AWS_REGION, then the profile region, then us-east-1', region: null },
        ...BEDROCK_REGIONS.map((r) => ({ label: r, description: r === state.region.region ? '(current)' : undefined, region: r })),
        { label: 'Other region…', region: '' },
      ];
      const picked = await vscode.window.showQuickPick(items, { title: 'Bedrock: region', ignoreFocusOut: true });
      if (!picked) return;
      if (picked.region === '') {
        const typed = await vscode.window.showInputBox({ title: 'Bedrock region', prompt: 'AWS region name, e.g. us-east-1', ignoreFocusOut: true });
        if (!typed?.trim()) return;
        region = typed.trim();
      } else region = picked.region ?? '';
    }
    await writeUserSetting('region', region || undefined);
  }

  async function manage(): Promise<void> {
    const state = await controller.state();
    const items: (vscode.QuickPickItem & { command?: string })[] = [
      { label: '$(key) Set Bedrock API Key', command: COMMANDS.setApiKey.id },
      { label: '$(shield) Set IAM Credentials', command: COMMANDS.setIamCredentials.id },
      {
        label: '$(account) Select Authentication Method',
        command: COMMANDS.selectAuthMethod.id,
        description: `${state.auth.ok ? AUTH_LABELS[state.auth.auth.kind] : state.auth.policy ? 'not allowed by policy' : 'not configured'}${state.settings.authMethod.layer === 'managed' ? ' · managed by your organisation' : ''}`,
      },
      { label: '$(person) Select AWS Profile', command: COMMANDS.selectProfile.id, description: state.settings.profile.layer === 'managed' ? 'managed by your organisation' : undefined },
      { label: '$(sign-in) Sign In with IAM Identity Center', command: COMMANDS.signIn.id, description: controller.sso.problem ? 'session expired' : undefined },
      { label: '$(globe) Select Region', command: COMMANDS.selectRegion.id, description: `${state.region.region}${state.settings.region.layer === 'managed' ? ' · managed by your organisation' : ''}` },
      { label: '$(refresh) Refresh Models', command: COMMANDS.refreshModels.id, description: 'ask Bedrock which models this account can use' },
      { label: '$(trash) Clear Stored Credentials', command: COMMANDS.clearCredentials.id },
      { label: '$(output) Show Log', command: COMMANDS.showLog.id },
      { label: '$(info) Show Connection Details', command: COMMANDS.showConnectionDetails.id, description: 'method, identity, endpoints, proxy, policy; copy for a support ticket' },
    ];
    const picked = await vscode.window.showQuickPick(items, { title: 'Amazon Bedrock' });
    if (picked?.command) await vscode.commands.executeCommand(picked.command);
  }

  /** Asks Bedrock again for the region's models and says what came of it. */
  async function refreshModels(): Promise<void> {
    const offer = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Bedrock: refreshing models' }, async () =>
      controller.models.refresh(await controller.state()),
    );
    const state = await controller.state();
    const message =
      offer.source === 'discovery'
        ? `Amazon Bedrock: ${offer.models.length} models in ${state.region.region}.`
        : `Amazon Bedrock: showing the built-in catalogue (${offer.models.length} models) in ${state.region.region}; models could not be discovered. See "Bedrock: Show Log" for why.`;
    void (offer.source === 'discovery' ? vscode.window.showInformationMessage(message) : vscode.window.showWarningMessage(message));
  }

  const handlers: Record<CommandKey, (arg?: unknown) => unknown> = {
    setApiKey,
    setIamCredentials,
    clearCredentials,
    selectAuthMethod,
    selectProfile,
    signIn: (arg) => signIn(controller, arg),
    selectRegion,
    refreshModels,
    showLog: () => controller.log.show(),
    showConnectionDetails: (arg) => showConnectionDetails(controller, arg),
    manage,
  };
  return (Object.keys(COMMANDS) as CommandKey[]).map((key) => vscode.commands.registerCommand(COMMANDS[key].id, handlers[key]));
}
