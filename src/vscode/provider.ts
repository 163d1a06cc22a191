import * as vscode from 'vscode';
import { describeError } from '../core/bedrock/errors';
import { requestLog } from '../core/bedrock/requestLog';
import { sendChat } from '../core/bedrock/send';
import { stopOutcome } from '../core/bedrock/stopReasons';
import { estimateRequestTokens, tokenFamily } from '../core/chat/tokens';
import { ChatEvent, ChatOptions } from '../core/chat/types';
import { COMMANDS, FixCommand } from '../core/config/commands';
import { ChatModel } from '../core/models/chatModel';
import { Controller } from './controller';
import { ThinkingPart, toChatMessages } from './convert';
import { countTokens } from './tokenCount';

export const VENDOR = 'amazon-bedrock';

function toInformation(m: ChatModel): vscode.LanguageModelChatInformation {
  return {
    id: m.id,
    name: m.name,
    family: m.family,
    version: m.version,
    detail: m.detail,
    tooltip: `${m.name} (${m.provider}) on Amazon Bedrock. ${m.idNote ?? `Sends ${m.id}.`} Context ${m.contextWindow.toLocaleString('en-US')} tokens, output up to ${m.maxOutputTokens.toLocaleString('en-US')}.`,
    maxInputTokens: m.maxInputTokens,
    maxOutputTokens: m.maxOutputTokens,
    capabilities: { toolCalling: m.toolCalling, imageInput: m.imageInput },
  };
}

function chatOptions(options: vscode.ProvideLanguageModelChatResponseOptions): ChatOptions {
  const mo = (options.modelOptions ?? {}) as Record<string, unknown>;
  const num = (...keys: string[]) => keys.map((k) => mo[k]).find((v): v is number => typeof v === 'number');
  return {
    tools: options.tools?.map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema })),
    toolMode: options.toolMode === vscode.LanguageModelChatToolMode.Required ? 'required' : 'auto',
    maxTokens: num('maxTokens', 'max_tokens', 'maxOutputTokens'),
    temperature: num('temperature'),
    topP: num('topP', 'top_p'),
  };
}

function reportEvent(progress: vscode.Progress<vscode.LanguageModelResponsePart>, event: ChatEvent): void {
  switch (event.type) {
    case 'text':
      progress.report(new vscode.LanguageModelTextPart(event.text));
      break;
    case 'toolCall':
      progress.report(new vscode.LanguageModelToolCallPart(event.callId, event.name, event.input));
      break;
    case 'thinking': {
      if (!ThinkingPart) break;
      const metadata = event.signature
        ? { signature: event.signature }
        : event.redacted
          ? { redactedData: Buffer.from(event.redacted).toString('base64') }
          : undefined;
      progress.report(new ThinkingPart(event.text, undefined, metadata) as unknown as vscode.LanguageModelResponsePart);
      break;
    }
    case 'stop': {
      // Stop reasons that fail the request are thrown by converse; only notes go under the answer.
      const outcome = stopOutcome(event.reason);
      if (outcome.kind === 'note') progress.report(new vscode.LanguageModelTextPart(outcome.note));
      break;
    }
    case 'usage':
      break;
  }
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
      controller.clients.renew();
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
    return (await this.controller.models.list(state)).map(toInformation);
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
    const model = this.controller.models.current(state).find((m) => m.id === info.id);
    if (!model) {
      throw new Error(`The model ${info.id} is no longer offered in ${state.region.region}. Pick another Amazon Bedrock model.`);
    }
    const chatMessages = toChatMessages(messages);
    const chatOpts = chatOptions(options);
    // Tools and Bedrock's hidden tool-use prompt count too: on agent requests they are most of a short prompt.
    const estimatedInputTokens = estimateRequestTokens(tokenFamily(model.id, model.family), chatMessages, chatOpts.tools, { toolMode: chatOpts.toolMode });
    const abort = new AbortController();
    const cancel = token.onCancellationRequested(() => abort.abort());
    if (token.isCancellationRequested) abort.abort();
    log.info(requestLog.start(model, state.region.region, state.auth.auth, chatMessages.length, estimatedInputTokens, options.tools?.length ?? 0));
    try {
      const { clients } = this.controller;
      const summary = await sendChat(clients, this.controller.clientTarget(state), { model, messages: chatMessages, options: chatOpts }, abort.signal, {
        onEvent: (e) => reportEvent(progress, e),
        onNote: (note) => log.info(requestLog.note(model, note)),
      });
      if (summary.retriedAfter) log.info(requestLog.retried(model, summary.retriedAfter));
      log.info(requestLog.done(model, summary));
      this.controller.setCredentialProblem(undefined);
    } catch (err) {
      if (token.isCancellationRequested) {
        log.info(`Cancelled: ${model.id}`);
        return;
      }
      const described = describeError(err, {
        modelId: model.id,
        region: state.region.region,
        endpoint: state.endpoint,
        auth: state.auth.auth,
        estimatedInputTokens,
        maxInputTokens: model.maxInputTokens,
        redact: (s) => redactor.redact(s),
      });
      log.error(requestLog.failed(model, described, err, (s) => redactor.redact(s)));
      if (described.kind === 'credentials') this.controller.setCredentialProblem(described.message);
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
