import * as vscode from 'vscode';
import { describeError } from '../core/bedrock/errors';
import { requestLog } from '../core/bedrock/requestLog';
import { sdk } from '../core/bedrock/lazySdk';
import { estimateRequestTokens, tokenFamily } from '../core/chat/tokens';
import { COMMANDS, FixCommand } from '../core/config/commands';
import { thousands } from '../core/config/format';
import { modelRefusal } from '../core/models/allowed';
import { ChatModel } from '../core/models/chatModel';
import { pickerOptions } from '../core/models/pickerOptions';
import { BedrockSettings } from '../core/config/settings';
import { Controller } from './controller';
import { toChatMessages } from './convert';
import { chatOptions, createReporter } from './exchange';
import { countTokens, sharedTextTallier } from './tokenCount';

export const VENDOR = 'amazon-bedrock';

/**
 * The model as VS Code lists it. `configurationSchema` (the chatProvider API
 * proposal, passed through by VS Code without the proposal being declared)
 * gives it its own options in the model picker: thinking effort, context
 * size. The chosen values come back as `options.modelConfiguration`.
 */
function toInformation(m: ChatModel, settings?: BedrockSettings): vscode.LanguageModelChatInformation {
  const picker = pickerOptions(m, { effort: settings?.reasoningEffort.value });
  return {
    ...(picker.schema ? { configurationSchema: picker.schema } : {}),
    id: m.id,
    name: m.name,
    family: m.family,
    version: m.version,
    detail: m.detail,
    tooltip: `${m.name} (${m.provider}) on Amazon Bedrock. ${m.idNote ?? `Sends ${m.id}.`} Context ${thousands(m.contextWindow)} tokens, output up to ${thousands(m.maxOutputTokens)}.`,
    maxInputTokens: picker.maxInputTokens,
    maxOutputTokens: m.maxOutputTokens,
    capabilities: { toolCalling: m.toolCalling, imageInput: m.imageInput },
  };
}

const RUN_IN_TERMINAL = 'Run in Terminal';

/**
 * Besides the error in the chat, a notification whose buttons fix it: a
 * command of ours, or a shell command (e.g. `aws sso login`) run in a terminal.
 * When that terminal closes, credentials are read afresh for the next request.
 */
function offerFix(controller: Controller, message: string, fix: FixCommand | undefined, terminalCommand?: string): void {
  const buttons = [...(terminalCommand ? [RUN_IN_TERMINAL] : []), ...(fix ? [COMMANDS[fix].title] : [])];
  if (!buttons.length) return;
  void vscode.window.showErrorMessage(message, ...buttons).then((choice) => {
    if (!choice) return;
    if (choice !== RUN_IN_TERMINAL) return vscode.commands.executeCommand(COMMANDS[fix!].id);
    const terminal = vscode.window.createTerminal({ name: 'Amazon Bedrock sign-in' });
    const closed = vscode.window.onDidCloseTerminal((t) => {
      if (t !== terminal) return;
      closed.dispose();
      controller.renewClients();
      void controller.refresh('sign-in terminal closed');
    });
    terminal.show();
    terminal.sendText(terminalCommand!);
  });
}

/** The `amazon-bedrock` language model chat provider. */
export class BedrockChatProvider implements vscode.LanguageModelChatProvider {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChangeLanguageModelChatInformation = this.changeEmitter.event;

  constructor(private readonly controller: Controller) {
    controller.onDidChange(() => this.changeEmitter.fire());
    controller.models.onDidChange(() => this.changeEmitter.fire());
  }

  /** Tells VS Code to ask for the model list again. */
  notifyChanged(): void {
    this.changeEmitter.fire();
  }

  async provideLanguageModelChatInformation(): Promise<vscode.LanguageModelChatInformation[]> {
    // Never prompts, silent or not: the list shows even before credentials work. Discovery
    // waits briefly only the first time; later it refreshes in the background and fires a change.
    const state = await this.controller.state();
    return (await this.controller.models.list(state)).map((m) => toInformation(m, state.settings));
  }

  async provideLanguageModelChatResponse(
    info: vscode.LanguageModelChatInformation,
    messages: readonly vscode.LanguageModelChatRequestMessage[],
    options: vscode.ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<vscode.LanguageModelResponsePart>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    const { log, redactor } = this.controller;
    const state = await this.controller.state();
    if (!state.auth.ok) {
      log.error(`Request to ${info.id} refused: ${state.auth.message}`);
      offerFix(this.controller, state.auth.message, state.auth.fix);
      throw new Error(state.auth.message);
    }
    // The administrator's bedrockChat.allowedModels, named in the refusal (the picker already hides such models).
    const refused = modelRefusal(state.policy, info.id);
    if (refused) {
      log.error(`Request to ${info.id} refused: ${refused}`);
      throw new Error(refused);
    }
    const model = this.controller.models.current(state).find((m) => m.id === info.id);
    if (!model) {
      throw new Error(`The model ${info.id} is no longer offered in ${state.region.region}. Pick another Amazon Bedrock model.`);
    }
    // An IAM Identity Center session found over before sending: Sign In, not a doomed request.
    const signedOut = await this.controller.sso.check(state);
    if (signedOut) {
      log.error(`Request to ${info.id} refused: ${signedOut.message}`);
      this.controller.setCredentialProblem(signedOut.message, signedOut.fix);
      offerFix(this.controller, signedOut.message, signedOut.fix);
      throw new Error(signedOut.message);
    }
    const chatMessages = toChatMessages(messages);
    const chatOpts = chatOptions(options, state.settings);
    // The token estimate is worked out only for a failure's hints (a context too long says by how much):
    // on an agent request it costs about a millisecond, and a success's Done line has Bedrock's own count.
    // Tools and Bedrock's hidden tool-use prompt count too; texts go through provideTokenCount's memo.
    const estimate = () => estimateRequestTokens(tokenFamily(model.id, model.family), chatMessages, chatOpts.tools, { toolMode: chatOpts.toolMode }, sharedTextTallier(toChatMessages));
    const abort = new AbortController();
    const cancel = token.onCancellationRequested(() => abort.abort());
    if (token.isCancellationRequested) abort.abort();
    log.info(requestLog.start(model, state.region.region, state.auth.auth, chatMessages.length, undefined, options.tools?.length ?? 0));
    try {
      // The first request loads the AWS SDK (dist/sdk.js); later ones find it loaded.
      const summary = await sdk().sendChat(this.controller.clients, this.controller.clientTarget(state), { model, messages: chatMessages, options: chatOpts }, abort.signal, {
        onEvent: createReporter(progress),
        onNote: (note) => log.info(requestLog.note(model, note)),
        onShape: (shape) => log.info(requestLog.shape(model, shape)),
      });
      if (summary.retriedAfter) log.info(requestLog.retried(model, summary.retriedAfter));
      log.info(requestLog.done(model, summary));
      this.controller.setCredentialProblem(undefined);
    } catch (err) {
      if (token.isCancellationRequested) {
        log.info(`Cancelled: ${model.id}`);
        return;
      }
      const estimatedInputTokens = estimate();
      const described = describeError(err, {
        modelId: model.id,
        region: state.region.region,
        endpoint: state.endpoint,
        auth: state.auth.auth,
        estimatedInputTokens,
        maxInputTokens: model.maxInputTokens,
        redact: (s) => redactor.redact(s),
      });
      log.error(requestLog.failed(model, described, err, (s) => redactor.redact(s), estimatedInputTokens));
      if (described.kind === 'credentials') this.controller.setCredentialProblem(described.message, described.fix);
      offerFix(this.controller, described.message, described.fix, described.terminalCommand);
      throw new Error(described.message);
    } finally {
      cancel.dispose();
    }
  }

  /** Called per message or text, thousands of times a request: memoised in ./tokenCount. */
  async provideTokenCount(model: vscode.LanguageModelChatInformation, text: string | vscode.LanguageModelChatRequestMessage): Promise<number> {
    return countTokens(model, text, toChatMessages);
  }
}
