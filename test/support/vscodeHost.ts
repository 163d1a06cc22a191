/**
 * Enough of the VS Code API, in plain Node, for the whole extension to
 * activate: `activate()` from src/extension.ts or the built dist/extension.js
 * registers its provider, commands and status bar here, reads settings and
 * secrets from maps, and its model list and chat requests can be driven like
 * VS Code drives them. It builds on test/support/vscodeShim (which makes
 * `require('vscode')` work and holds the language-model part classes) by
 * adding the host's namespaces to it; `dispose()` takes them away again.
 *
 * For the benchmark (scripts/bench.js) and the lazy-start test; the real
 * VS Code suites (test/integration, test/e2e) cover the real host.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as shim from './vscodeShim';

type Listener<T> = (e: T) => unknown;

class Emitter<T> {
  private listeners: Listener<T>[] = [];
  readonly event = (listener: Listener<T>) => {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
}

export class Disposable {
  constructor(private readonly callOnDispose: () => unknown) {}
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((d) => d.dispose()));
  }
  dispose(): void {
    this.callOnDispose();
  }
}

export interface FakeStatusItem {
  text: string;
  tooltip?: unknown;
  command?: unknown;
  name?: string;
  backgroundColor?: unknown;
  visible: boolean;
}

export interface HostOptions {
  /** Settings by full id (`bedrockChat.region`), as the user's settings.json would hold them. */
  settings?: Record<string, unknown>;
  /** SecretStorage contents by key (`bedrockChat.apiKey`). */
  secrets?: Record<string, string>;
  /** Workspace trust (default true). */
  trusted?: boolean;
}

export interface FakeHost {
  /** An ExtensionContext for activate(). */
  context: {
    subscriptions: { dispose(): unknown }[];
    secrets: unknown;
    globalState: { get(key: string): unknown; update(key: string, value: unknown): Promise<void>; keys(): readonly string[] };
    globalStorageUri: { fsPath: string; scheme: string; path: string };
    extension: { id: string };
  };
  settings: Map<string, unknown>;
  secrets: Map<string, string>;
  /** What registerLanguageModelChatProvider received, by vendor. */
  providers: Map<string, unknown>;
  commands: Map<string, (...args: unknown[]) => unknown>;
  statusItems: FakeStatusItem[];
  /** Every message shown (error, warning, information), in order. */
  messages: string[];
  /** Log lines written to output channels. */
  logLines: string[];
  /** Sets a user setting and fires onDidChangeConfiguration, as VS Code does. */
  setSetting(id: string, value: unknown): void;
  /** Disposes the context's subscriptions and removes the host's namespaces from the shim. */
  dispose(): void;
}

const uri = (p: string) => ({ fsPath: p, scheme: 'file', path: p, toString: () => `file://${p}` });

/** Installs the fake host on the `vscode` stand-in. One at a time. */
export function installVscodeHost(options: HostOptions = {}): FakeHost {
  const settings = new Map<string, unknown>(Object.entries(options.settings ?? {}));
  const secrets = new Map<string, string>(Object.entries(options.secrets ?? {}));
  const state = new Map<string, unknown>();
  const configChanged = new Emitter<{ affectsConfiguration(section: string): boolean }>();
  const secretChanged = new Emitter<{ key: string }>();
  const providers = new Map<string, unknown>();
  const commands = new Map<string, (...args: unknown[]) => unknown>();
  const statusItems: FakeStatusItem[] = [];
  const messages: string[] = [];
  const logLines: string[] = [];
  const never = new Emitter<never>();
  const show = async (message: string) => void messages.push(message);

  const configuration = (section?: string) => {
    const full = (key: string) => (section ? `${section}.${key}` : key);
    return {
      get: <T>(key: string, fallback?: T) => (settings.has(full(key)) ? (settings.get(full(key)) as T) : fallback),
      has: (key: string) => settings.has(full(key)),
      inspect: (key: string) => ({ key: full(key), globalValue: settings.get(full(key)) }),
      update: async (key: string, value: unknown) => host.setSetting(full(key), value),
    };
  };

  const namespaces: Record<string, unknown> = {
    Disposable,
    ThemeColor: class ThemeColor {
      constructor(readonly id: string) {}
    },
    StatusBarAlignment: { Left: 1, Right: 2 },
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
    InputBoxValidationSeverity: { Info: 1, Warning: 2, Error: 3 },
    Uri: { parse: (s: string) => ({ toString: () => s }), file: uri },
    version: '1.139.1',
    window: {
      createStatusBarItem: () => {
        const item: FakeStatusItem & { show(): void; hide(): void; dispose(): void } = {
          text: '',
          visible: false,
          show: () => void (item.visible = true),
          hide: () => void (item.visible = false),
          dispose: () => void (item.visible = false),
        };
        statusItems.push(item);
        return item;
      },
      createOutputChannel: (name: string) => {
        const write = (level: string) => (line: string) => void logLines.push(`[${level}] ${line}`);
        return { name, info: write('info'), warn: write('warn'), error: write('error'), debug: write('debug'), trace: write('trace'), appendLine: write('info'), show: () => {}, dispose: () => {} };
      },
      showErrorMessage: show,
      showWarningMessage: show,
      showInformationMessage: show,
      showInputBox: async () => undefined,
      showQuickPick: async () => undefined,
      withProgress: async (_o: unknown, task: (p: unknown, t: unknown) => unknown) => task({ report: () => {} }, { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => {} }) }),
      createTerminal: () => ({ show: () => {}, sendText: () => {}, dispose: () => {} }),
      onDidCloseTerminal: never.event,
      showTextDocument: async () => undefined,
    },
    workspace: {
      getConfiguration: configuration,
      onDidChangeConfiguration: configChanged.event,
      onDidGrantWorkspaceTrust: never.event,
      isTrusted: options.trusted ?? true,
      openTextDocument: async (o: unknown) => o,
    },
    commands: {
      registerCommand: (id: string, handler: (...args: unknown[]) => unknown) => {
        commands.set(id, handler);
        return { dispose: () => commands.delete(id) };
      },
      executeCommand: async (id: string, ...args: unknown[]) => commands.get(id)?.(...args),
    },
    lm: {
      registerLanguageModelChatProvider: (vendor: string, provider: unknown) => {
        providers.set(vendor, provider);
        return { dispose: () => providers.delete(vendor) };
      },
    },
    env: { openExternal: async () => false, clipboard: { writeText: async () => {} } },
    extensions: { getExtension: () => undefined },
  };
  const target = shim as unknown as Record<string, unknown>;
  Object.assign(target, namespaces);

  const context: FakeHost['context'] = {
    subscriptions: [],
    secrets: {
      get: async (key: string) => secrets.get(key),
      store: async (key: string, value: string) => {
        secrets.set(key, value);
        secretChanged.fire({ key });
      },
      delete: async (key: string) => {
        secrets.delete(key);
        secretChanged.fire({ key });
      },
      onDidChange: secretChanged.event,
    },
    globalState: { get: (key) => state.get(key), update: async (key, value) => void state.set(key, value), keys: () => [...state.keys()] },
    globalStorageUri: uri(path.join(os.tmpdir(), 'bedrock-chat-fake-host')),
    extension: { id: 'bedrock-chat.bedrock-chat' },
  };

  const host: FakeHost = {
    context,
    settings,
    secrets,
    providers,
    commands,
    statusItems,
    messages,
    logLines,
    setSetting(id, value) {
      if (value === undefined) settings.delete(id);
      else settings.set(id, value);
      configChanged.fire({ affectsConfiguration: (section) => id === section || id.startsWith(`${section}.`) });
    },
    dispose() {
      for (const d of context.subscriptions.splice(0)) d.dispose();
      for (const key of Object.keys(namespaces)) delete target[key];
    },
  };
  return host;
}
