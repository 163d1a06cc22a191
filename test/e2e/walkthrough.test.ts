/**
 * A first run in the real VS Code (code-server in headless Chromium): no AWS
 * credentials anywhere, so the "Get started with Amazon Bedrock" walkthrough
 * opens by itself, once. Its buttons set an API key and a region, open the
 * chat, and a Bedrock model answers with what the walkthrough set up.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startBedrockServer, textEvents, type BedrockServer } from '../support';
import { harness, makeSandbox, ROOT, type Sandbox } from './sandbox';

const API_KEY = 'ABSKd2Fsa3Rocm91Z2gta2V5LTAwMDAwMDAwMDAwMDA=';
const WALKTHROUGH = 'bedrock-chat.bedrock-chat#getStarted';

/** The parts of a Playwright page this test uses (playwright-core lives in the host's own folder). */
interface Locator {
  click(o?: { timeout?: number }): Promise<void>;
  waitFor(o?: { state?: string; timeout?: number }): Promise<void>;
  count(): Promise<number>;
  getAttribute(name: string): Promise<string | null>;
  hover(): Promise<void>;
  innerText(): Promise<string>;
  boundingBox(): Promise<{ x: number; y: number; width: number; height: number } | null>;
  first(): Locator;
  locator(selector: string, o?: { hasText?: string | RegExp }): Locator;
}
interface Page {
  locator(selector: string, o?: { hasText?: string | RegExp }): Locator;
  keyboard: { press(key: string): Promise<void>; insertText(text: string): Promise<void> };
  fill(selector: string, text: string): Promise<void>;
  waitForSelector(selector: string, o?: { state?: string; timeout?: number }): Promise<unknown>;
  waitForTimeout(ms: number): Promise<void>;
  evaluate(expression: string): Promise<unknown>;
  screenshot(o: { path: string; clip?: { x: number; y: number; width: number; height: number } }): Promise<Buffer>;
}
interface Session {
  page: Page;
  codeServer: { profile: { userDataDir: string } };
  selectors: Record<string, string>;
  screenshotDir: string;
  runCommand(label: string): Promise<void>;
  pickModel(name: string, o: { vendor: string }): Promise<void>;
  openModelPicker(o?: { expand?: boolean }): Promise<void>;
  sendMessage(text: string): Promise<void>;
  waitForResponse(expected: string | RegExp, o?: { timeout?: number }): Promise<string>;
  screenshot(name: string): Promise<string>;
  tidyForScreenshot(): Promise<void>;
  close(): Promise<void>;
}

const stepSelector = (step: string) => `.getting-started-step[data-step-id="${WALKTHROUGH}#${step}"]`;
const STATUS_ITEM = '.statusbar-item:has-text("Bedrock:")';

describe('first-run walkthrough end to end', function () {
  this.timeout(300_000);
  let server: BedrockServer;
  let session: Session;
  let page: Page;
  let box: Sandbox;

  const step = (id: string) => page.locator(stepSelector(id));
  /** Expands a step (a click on its title) and clicks one of its buttons. */
  async function clickStepButton(id: string, label: string): Promise<void> {
    if ((await step(id).getAttribute('aria-expanded')) !== 'true') await step(id).locator('.step-title').click();
    await page.waitForSelector(`${stepSelector(id)}[aria-expanded="true"]`, { timeout: 10_000 });
    await step(id).locator('.button-container a.monaco-button', { hasText: label }).click();
  }
  /** Waits for the quick input titled `title`, types `text`, and accepts it: the matching row of a pick, or the typed text. */
  async function answerQuickInput(title: string, text: string, o: { pick?: boolean } = {}): Promise<void> {
    await page.waitForSelector(`.quick-input-widget .quick-input-title:has-text("${title}")`, { state: 'visible', timeout: 10_000 });
    await page.fill(session.selectors.quickInputBox, text);
    if (o.pick) {
      const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: text }).first();
      await row.waitFor({ state: 'visible', timeout: 10_000 });
      await row.click();
    } else {
      await page.keyboard.press('Enter');
    }
    await page.waitForSelector(`.quick-input-widget .quick-input-title:has-text("${title}")`, { state: 'hidden', timeout: 10_000 });
  }
  async function statusBarText(): Promise<string> {
    return (await page.locator(STATUS_ITEM).first().innerText()).trim();
  }
  async function until(check: () => Promise<boolean>, timeout: number, what: string): Promise<void> {
    for (const deadline = Date.now() + timeout; !(await check()); await page.waitForTimeout(200)) {
      if (Date.now() > deadline) {
        await session.screenshot('walkthrough-failed').catch(() => {});
        assert.fail(`timed out waiting for: ${what}`);
      }
    }
  }
  /** The "Bedrock Chat" log of each extension host so far, oldest first (code-server keeps them under its user data). */
  function logsOfBedrockChat(): string[] {
    const root = path.join(session.codeServer.profile.userDataDir, 'logs');
    const found: string[] = [];
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(path.join(dir, e.name));
        else if (e.name === 'Bedrock Chat.log') found.push(path.join(dir, e.name));
      }
    };
    if (fs.existsSync(root)) walk(root);
    const hostNumber = (f: string) => Number(/exthost(\d+)/.exec(f)?.[1] ?? 0);
    return found.sort((a, b) => hostNumber(a) - hostNumber(b)).map((f) => fs.readFileSync(f, 'utf8'));
  }
  /** The user settings VS Code has written; read again while VS Code is rewriting the file (it can be read empty or half-written). */
  const userSettings = async (): Promise<Record<string, unknown>> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return JSON.parse(fs.readFileSync(path.join(session.codeServer.profile.userDataDir, 'User', 'settings.json'), 'utf8'));
      } catch (e) {
        if (attempt >= 20) throw e;
        await page.waitForTimeout(100);
      }
    }
  };

  before(async () => {
    // A HOME with an empty ~/.aws and no AWS_* variables: nothing to sign in with.
    box = makeSandbox('first-run', { 'notes.md': '# Notes\n' });
    server = await startBedrockServer();
    server.addBearerToken(API_KEY);
    session = await harness.startChatSession({
      ...box.extension,
      folder: box.workspace,
      viewport: { width: 1600, height: 900 },
      env: box.env(),
      // The host's defaults turn off walkthroughs opening on their own; a user's VS Code has them on.
      userSettings: { 'bedrockChat.endpoint': server.endpoint, 'workbench.welcomePage.walkthroughs.openOnInstall': true },
      screenshotDir: path.join(ROOT, 'test-results', 'chat-e2e'),
    });
    page = session.page;
  });

  after(async () => {
    await session?.close();
    await server?.close();
    box?.remove();
  });

  it('opens by itself when no AWS credentials are found', async () => {
    await page.waitForSelector(stepSelector('signIn'), { state: 'visible', timeout: 60_000 });
    assert.match(await page.locator('.gettingStartedDetailsContent .category-title').first().innerText(), /Get started with Amazon Bedrock/);
    assert.match(await statusBarText(), /Bedrock: Automatic/);
    const buttons = await step('signIn').locator('.button-container a.monaco-button').first().innerText();
    assert.equal(buttons.trim(), 'Set API Key');
    // Opened by this extension, not by VS Code's own opening of a newly installed extension's walkthrough.
    await until(async () => logsOfBedrockChat().length === 1, 10_000, 'the extension host wrote its log');
    assert.match(logsOfBedrockChat()[0], /No AWS credentials found: opening the "Get started with Amazon Bedrock" walkthrough/);
  });

  it('does not open again on the next start', async () => {
    await session.runCommand('View: Close All Editors');
    await page.waitForSelector(stepSelector('signIn'), { state: 'detached', timeout: 10_000 });
    // Reload Window, as a user would: VS Code saves its state (the closed editor) on the way out.
    await page.evaluate('window.__bedrockFirstStart = true');
    await session.runCommand('Developer: Reload Window');
    await until(() => page.evaluate('window.__bedrockFirstStart === undefined').catch(() => false) as Promise<boolean>, 60_000, 'the window reloaded');
    await page.waitForSelector(STATUS_ITEM, { state: 'visible', timeout: 120_000 }); // the extension is active again
    await page.waitForTimeout(5_000);
    // Each extension host writes its own log: the second one is active, and only the first opened the walkthrough.
    await until(async () => logsOfBedrockChat().length === 2 && /Configuration \(startup\)/.test(logsOfBedrockChat()[1]), 30_000, 'the second extension host logged its start');
    assert.deepEqual(logsOfBedrockChat().map((log) => (log.match(/opening the "Get started with Amazon Bedrock" walkthrough/g) ?? []).length), [1, 0]);
    assert.equal(await page.locator(stepSelector('signIn')).count(), 0, 'the walkthrough opened a second time');
  });

  it('is listed under Welcome: Open Walkthrough, and its sign-in button stores an API key', async () => {
    await session.runCommand('Welcome: Open Walkthrough...');
    await page.waitForSelector(session.selectors.quickInputBox, { state: 'visible', timeout: 10_000 });
    await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'Get started with Amazon Bedrock' }).first().click();
    await page.waitForSelector(stepSelector('signIn'), { state: 'visible', timeout: 30_000 });
    await clickStepButton('signIn', 'Set API Key');
    await answerQuickInput('Set Bedrock API Key', API_KEY);
    await until(async () => /Bedrock: API key/.test(await statusBarText()), 30_000, 'the status bar shows the API key');
    // onCommand completion event: the step is ticked.
    await page.waitForSelector(`${stepSelector('signIn')}[aria-checked="true"]`, { timeout: 10_000 });
    assert.equal((await userSettings())['bedrockChat.authentication.method'], undefined, 'the key alone decides; no method written');
  });

  it('its region button changes the region the extension uses', async () => {
    await clickStepButton('region', 'Select Region');
    await answerQuickInput('Bedrock: region', 'eu-central-1', { pick: true });
    await until(async () => (await userSettings())['bedrockChat.region'] === 'eu-central-1', 20_000, 'bedrockChat.region in the user settings');
    await page.locator(STATUS_ITEM).first().hover();
    await page.waitForSelector('.monaco-hover:has-text("Region: eu-central-1 (settings)")', { state: 'visible', timeout: 15_000 });
    await session.tidyForScreenshot();
    await page.waitForSelector(`${stepSelector('region')}[aria-checked="true"]`, { timeout: 10_000 });
  });

  it('its chat button opens the chat, where a Bedrock model answers with the key and region set here', async () => {
    await session.runCommand('View: Hide Secondary Side Bar');
    await page.waitForSelector(session.selectors.inputEditor, { state: 'hidden', timeout: 10_000 });
    await clickStepButton('chat', 'Open Chat');
    await page.waitForSelector(session.selectors.inputEditor, { state: 'visible', timeout: 30_000 });
    // The models on offer, for the walkthrough's chat step.
    await session.openModelPicker();
    await session.tidyForScreenshot();
    const boxes = [await page.locator('.part.auxiliarybar').boundingBox(), await page.locator(session.selectors.actionWidget).first().boundingBox()];
    const x = Math.min(...boxes.map((b) => b!.x));
    const y = Math.min(...boxes.map((b) => b!.y));
    const clip = { x, y, width: Math.max(...boxes.map((b) => b!.x + b!.width)) - x, height: Math.max(...boxes.map((b) => b!.y + b!.height)) - y };
    await page.screenshot({ path: path.join(session.screenshotDir, 'first-run-model-picker.png'), clip });
    await page.keyboard.press('Escape');
    server.onConverseStream = () => textEvents(['Hello! This is Claude Sonnet 4.5 on Amazon Bedrock in eu-central-1, ', 'reached with the API key you set in the walkthrough.']);
    await session.pickModel('Claude Sonnet 4.5', { vendor: 'Amazon Bedrock' });
    await session.sendMessage('Hello! Which model are you, and where?');
    await session.waitForResponse('reached with the API key you set in the walkthrough.');
    const req = server.requests.find((r) => r.operation === 'converse-stream')!;
    assert.deepEqual(req.auth, { kind: 'bearer', token: API_KEY });
    assert.equal(req.modelId, 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0');
    // Pictures for the README and the walkthrough's chat step (npm run screenshots copies them into media/).
    await session.runCommand('View: Close Primary Side Bar');
    await step('signIn').locator('.step-title').click();
    await session.tidyForScreenshot();
    await session.screenshot('first-run-walkthrough');
  });
});
