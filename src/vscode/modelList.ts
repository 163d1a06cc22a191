import * as vscode from 'vscode';
import type { CredentialClientConfig } from '../core/auth/clientAuth';
import { DiscoveryOutcome, DiscoveryTarget, ModelDiscovery, ModelDiscoveryOptions } from '../core/bedrock/discovery';
import { sdkLoaded } from '../core/bedrock/lazySdk';
import { SETTING_IDS } from '../core/config/settings';
import { allowedModels } from '../core/models/allowed';
import { ChatModel } from '../core/models/chatModel';
import { Offer, offeredModels } from '../core/models/discovered';
import { BedrockState } from '../core/state';
import type { Log } from './log';

/**
 * How long the first answer for a target waits for discovery before giving the
 * catalogue, once the AWS SDK is loaded. Before that (the picker's first question
 * at startup) it does not wait at all: loading the SDK is discovery's business.
 * Later answers never wait: they use the last result and refresh in the background.
 */
const FIRST_ANSWER_WAIT_MS = 1_500;

const APPLICATION_PROFILE_ARN = /^arn:aws[\w-]*:bedrock:[^:]*:\d*:application-inference-profile\//;

/**
 * The models the picker shows: the state's custom models and catalogue, merged
 * with what live discovery finds (src/core/bedrock/discovery.ts). Answers
 * quickly from the cache or the catalogue and fires `onDidChange` when a
 * discovery changes the list. Why discovery did not work is logged once per
 * cause, not on every call.
 */
export class ModelList implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  /** The list changed (a discovery finished with other models). */
  readonly onDidChange = this.emitter.event;
  readonly discovery: ModelDiscovery;
  private readonly logged = new Set<string>();
  /** The last list handed out, to fire only on a real change. */
  private lastAnswer?: string;
  /** The last offer worked out, for the state and discovery outcome it came from. */
  private lastOffer?: { state: BedrockState; outcome?: DiscoveryOutcome; offer: Offer };

  /** Set: always this long (tests). Unset: FIRST_ANSWER_WAIT_MS once the SDK is loaded, else no wait. */
  private readonly firstAnswerWaitMs?: number;
  /** For the credential providers' own needs (MFA sessions), as chat requests get them. */
  private readonly credentialClientConfig?: () => CredentialClientConfig;

  constructor(
    private readonly log: Pick<Log, 'info' | 'warn'>,
    options: ModelDiscoveryOptions & { firstAnswerWaitMs?: number; credentialClientConfig?: () => CredentialClientConfig } = {},
  ) {
    this.credentialClientConfig = options.credentialClientConfig;
    this.discovery = new ModelDiscovery(options);
    this.firstAnswerWaitMs = options.firstAnswerWaitMs;
  }

  /** Where discovery goes for this state, or undefined when it does not run (no credentials, a gateway only, an invalid endpoint). */
  target(state: BedrockState): DiscoveryTarget | undefined {
    if (!state.auth.ok) return undefined;
    if (state.controlPlane.skip) {
      this.once(`skip:${state.controlPlane.skip}`, () => this.log.info(`Model discovery is off: ${state.controlPlane.skip}. Offering the built-in catalogue and your custom models.`));
      return undefined;
    }
    const arns = (state.settings.customModels.value ?? []).map((c) => c.id.trim()).filter((id) => APPLICATION_PROFILE_ARN.test(id));
    return {
      auth: state.auth.auth,
      region: state.region.region,
      endpoint: state.controlPlane.endpoint,
      runtimeEndpoint: state.endpoint,
      network: state.network,
      ...(this.credentialClientConfig ? { credentialClientConfig: this.credentialClientConfig() } : {}),
      ...(arns.length ? { profileArns: arns } : {}),
    };
  }

  /** For the picker: never prompts, waits for the network only briefly and only the first time. */
  async list(state: BedrockState): Promise<ChatModel[]> {
    const target = this.target(state);
    if (target) {
      const first = !this.discovery.peek(target);
      const run = this.discovery.get(target).then((outcome) => this.settled(state, target, outcome));
      const wait = first ? (this.firstAnswerWaitMs ?? (sdkLoaded() ? FIRST_ANSWER_WAIT_MS : 0)) : 0;
      if (wait > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([run, new Promise((resolve) => (timer = setTimeout(resolve, wait)))]);
        clearTimeout(timer);
      }
    }
    const models = this.offer(state, target).models;
    this.lastAnswer = signature(models);
    return models;
  }

  /** The list as it stands, without any waiting (a request looks its model up here). */
  current(state: BedrockState): ChatModel[] {
    return this.offer(state, this.target(state)).models;
  }

  /** Bedrock: Refresh Models. Asks Bedrock again and says what it found. */
  async refresh(state: BedrockState): Promise<Offer> {
    this.discovery.invalidate();
    this.logged.clear();
    // Told once below, whatever changed.
    this.lastAnswer = undefined;
    const target = this.target(state);
    if (target) this.settled(state, target, await this.discovery.get(target));
    this.emitter.fire();
    return this.offer(state, target);
  }

  /**
   * The identity may have changed (AWS files, a sign-in, proxy settings): ask
   * Bedrock again, and tell the picker to ask us (a sign-in changes no
   * setting, so nothing else would).
   */
  invalidate(): void {
    this.discovery.invalidate();
    this.emitter.fire();
  }

  /**
   * New credentials are at hand (an MFA session a chat request bought): a
   * discovery that failed is tried again, without waiting for its 5-minute
   * retry, and the picker is told to ask.
   */
  retryFailed(): void {
    if (this.discovery.invalidateFailures()) this.emitter.fire();
  }

  private offer(state: BedrockState, target: DiscoveryTarget | undefined): Offer {
    const outcome = target ? this.discovery.peek(target) : undefined;
    // Asked on every request and every picker refresh; the same state and discovery give the same list.
    if (this.lastOffer?.state === state && this.lastOffer.outcome === outcome) return this.lastOffer.offer;
    const offer = offeredModels({
      region: state.region.region,
      custom: state.settings.customModels.value,
      inferenceProfile: state.settings.inferenceProfile.value,
      hidden: state.settings.hiddenModels.value,
      discovery: outcome?.discovery,
      lookedUp: outcome?.lookedUp,
    });
    // The administrator's bedrockChat.allowedModels: custom models too.
    const allowed = { ...offer, models: allowedModels(offer.models, state.policy) };
    this.lastOffer = { state, outcome, offer: allowed };
    return allowed;
  }

  private settled(state: BedrockState, target: DiscoveryTarget, outcome: DiscoveryOutcome): void {
    const offer = this.offer(state, target);
    const where = `${state.region.region}${target.endpoint ? ` at ${target.endpoint}` : ''}`;
    if (outcome.failure) {
      this.once(`fail:${where}:${outcome.failure.message}`, () =>
        this.log.warn(`Model discovery in ${where} failed: ${outcome.failure!.message}. Offering the built-in catalogue and your custom models (${offer.models.length}).`),
      );
    } else if (offer.fallbackReason) {
      this.once(`empty:${where}`, () => this.log.warn(`Model discovery in ${where}: ${offer.fallbackReason}. Offering the built-in catalogue and your custom models.`));
    } else {
      const unknown = offer.models.filter((m) => m.idNote?.includes('conservative limits')).length;
      this.once(`ok:${where}:${signature(offer.models)}`, () =>
        this.log.info(`Model discovery in ${where}: ${offer.models.length} models offered${unknown ? `, ${unknown} unknown to the catalogue (conservative limits)` : ''}.`),
      );
    }
    for (const note of outcome.notes) this.once(`note:${where}:${note}`, () => this.log.warn(`Model discovery in ${where}: ${note}.`));
    if (offer.globalOnly.length) {
      this.once(`global:${where}:${offer.globalOnly.join()}`, () =>
        this.log.info(`Not offered in ${state.region.region}: ${offer.globalOnly.join(', ')}, reachable there only through a global. inference profile; set ${SETTING_IDS.inferenceProfile} to "global" to offer them.`),
      );
    }
    if (this.lastAnswer !== undefined && this.lastAnswer !== signature(offer.models)) this.emitter.fire();
  }

  private once(key: string, write: () => void): void {
    if (this.logged.has(key)) return;
    this.logged.add(key);
    write();
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

/** What the picker shows of a list: a change here is worth telling VS Code about. */
function signature(models: ChatModel[]): string {
  return JSON.stringify(models.map((m) => [m.id, m.name, m.maxInputTokens, m.maxOutputTokens, m.toolCalling, m.imageInput, m.idNote]));
}
