'use strict';
// Playwright end-to-end helpers for VS Code's chat panel (VS Code 1.139.1 via
// code-server, headless Chromium). Library:
//
//   const harness = require('./scripts/vscode-host/chat-e2e-harness');
//   const s = await harness.startChatSession({ devPath: repoRoot, env: {...}, folder: someDir });
//   try {
//     await s.openChat();
//     await s.selectMode('Agent');
//     await s.pickModel('Claude Sonnet 4.5', { vendor: 'Amazon Bedrock' });
//     await s.sendMessage('hi');
//     const text = await s.waitForResponse(/hello/);
//     await s.screenshot('after-response');
//   } finally { await s.close(); }
//
// CLI (smoke test):
//   node scripts/vscode-host/chat-e2e-harness.js --dev <extDir> --model "Echo Model" [--vendor "Test Vendor"]
//        [--message hi] [--expect "hello from echo"] [--folder <dir>] [--timeout 60000] [--screenshots <dir>]
//        [--url <workbench URL>]   (drive a running VS Code, e.g. the URL npm start prints)
//   exit 0 when the expected text rendered in the chat response.
//
// Screenshots go to test-results/chat-e2e/ (override with screenshotDir / VSCODE_HOST_SCREENSHOT_DIR).
//
// DOM (VS Code 1.139.1):
//   chat input part      .interactive-input-part
//   input editor         .interactive-input-part .chat-input-container .native-edit-context (focus it; a click is
//                        intercepted by the editor's view lines)
//   mode picker button   .chat-mode-picker-item a.action-label        (aria-label = current mode, e.g. "Agent")
//   model picker button  .model-picker-item a.model-picker-name       (aria-label = "Models, <model name>")
//   model options button .model-picker-item a.model-picker-config     (beside the model picker when the model has a
//                        configurationSchema; aria-label "Thinking Effort: High, Context Size: 200K", text "High 200K";
//                        opens an .action-widget with header rows .monaco-list-row.group-header (the option's title)
//                        and rows .monaco-list-row.chat-model-picker-config-option (role=menuitemradio, aria-checked,
//                        label in .title); the dropdown stays open after a pick)
//   context indicator    .chat-context-usage-widget (aria-label "Context window usage: 15%"; hover shows used / total)
//   thinking             in the answer: summary.completed-response-summary ("Completed 2 steps") expands the steps;
//                        .chat-thinking-box .chat-used-context-label a ("Finished with 1 step") expands the thinking
//   send button          .interactive-input-part .chat-execute-toolbar a.action-label.codicon-arrow-up-compact
//   picker dropdown      .action-widget  (search box: input.action-list-filter-input; rows: .monaco-list-row.action,
//                        role=option (models) / menuitemcheckbox (modes); row label text in .title;
//                        model row aria-label "<name>, <vendor displayName>[, Current model]"; models that are
//                        not recent/pinned sit in a collapsed section row
//                        .chat-model-picker-section-toggle[aria-expanded=false] "Other Models")
//   response             .interactive-list .monaco-list-row.response .interactive-response .value
//                        (latest: .chat-most-recent-response); in progress: .chat-response-loading

const fs = require('fs');
const path = require('path');
const host = require('./host');

const SEL = {
  workbench: '.monaco-workbench',
  inputPart: '.interactive-input-part',
  inputEditor: '.interactive-input-part .chat-input-container .native-edit-context',
  inputEditorLines: '.interactive-input-part .chat-input-container .monaco-editor .view-lines',
  modePicker: '.interactive-input-part .chat-mode-picker-item a.action-label',
  modelPicker: '.interactive-input-part .model-picker-item a.model-picker-name',
  modelConfig: '.interactive-input-part .model-picker-item a.model-picker-config',
  modelConfigRow: '.action-widget .monaco-list-row',
  contextUsage: '.chat-context-usage-widget',
  actionWidget: '.action-widget',
  actionWidgetSearch: '.action-widget input.action-list-filter-input',
  modelSectionToggle: '.action-widget .monaco-list-row.chat-model-picker-section-toggle[aria-expanded="false"]',
  request: '.interactive-list .monaco-list-row.request',
  actionWidgetRow: '.action-widget .monaco-list-row.action',
  response: '.interactive-list .monaco-list-row.response .interactive-response',
  lastResponse: '.interactive-list .interactive-response.chat-most-recent-response',
  sendButton: '.interactive-input-part .chat-execute-toolbar a.action-label.codicon-arrow-up-compact',
  chatInputNoticeDismiss: '.interactive-input-part .chat-input-notification-dismiss',
  quickInput: '.quick-input-widget',
  quickInputBox: '.quick-input-widget input.input',
};

function defaultLogFilter(line) {
  // In a normal (non-test) window the extension host console arrives as "[Extension Host] ...".
  // Built-in Copilot Chat is very noisy offline; drop its lines.
  return /^\[Extension Host\]/.test(line) && !/extensions\/copilot\/|GitHubLoginFailed|copilot/i.test(line);
}

/**
 * Clicks within 5 s, or says it could not: the model picker's dropdown is rebuilt
 * when a provider's model list changes, detaching the row under the click, and
 * the caller then closes it and starts over rather than wait Playwright's 30 s.
 */
function clickedInTime(locator) {
  return locator.click({ timeout: 5000 }).then(
    () => true,
    () => false,
  );
}

/**
 * opts:
 *   devPath (string|string[])  extension development path(s)           (default: repo root, unless vsix is given)
 *   vsix (string|string[])     VSIX file(s) to install into the profile first, as a user would
 *                              (code-server --install-extension); with vsix and no devPath no
 *                              development folder is loaded: the installed extension runs
 *   url                        attach to an already running workbench (e.g. the URL npm start
 *                              prints) instead of starting code-server
 *   folder                     folder to open                          (default: none, empty window)
 *   env                        env for code-server / extension host     (default: process.env)
 *   userSettings               extra VS Code user settings
 *   screenshotDir              default test-results/chat-e2e
 *   viewport                   default 1400x900
 *   logFilter(line, level)     which browser-console lines to forward (default: extension host lines)
 *   verbose                    forward everything
 */
async function startChatSession(opts = {}) {
  const vsixes = [].concat(opts.vsix || []).map((p) => path.resolve(p));
  const devPaths = [].concat(opts.devPath || (vsixes.length ? [] : host.ROOT)).map((p) => path.resolve(p));
  const screenshotDir = path.resolve(opts.screenshotDir || process.env.VSCODE_HOST_SCREENSHOT_DIR || path.join(host.ROOT, 'test-results', 'chat-e2e'));
  fs.mkdirSync(screenshotDir, { recursive: true });
  const cs = opts.url ? null : await host.startCodeServer({ env: opts.env, userSettings: opts.userSettings, installExtensions: vsixes });
  const { page, close: closeBrowser } = await host.launchBrowser({ viewport: opts.viewport });
  host.forwardConsole(page, { verbose: opts.verbose, filter: opts.logFilter || defaultLogFilter });
  const url = opts.url || host.workbenchUrl(cs.url, { folder: opts.folder, devPaths });
  host.log(`opening ${url}`);
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 120000 });
  await page.waitForSelector(SEL.workbench, { timeout: 120000 });

  let shotNo = 0;
  const s = {
    page,
    url,
    codeServer: cs,
    /** Where installed extensions (opts.vsix) live. */
    extensionsDir: cs && cs.profile.extensionsDir,
    selectors: SEL,
    screenshotDir,

    async screenshot(name) {
      const file = path.join(screenshotDir, `${String(++shotNo).padStart(2, '0')}-${name.replace(/[^\w.-]+/g, '_')}.png`);
      await page.screenshot({ path: file });
      host.log(`screenshot ${file}`);
      return file;
    },

    /** Before a picture: dismiss Copilot's tips above the chat input and move the mouse off hover targets. */
    async tidyForScreenshot() {
      const notice = page.locator(SEL.chatInputNoticeDismiss);
      for (let i = 0; i < 3 && (await notice.count()); i++) await notice.first().click().catch(() => {});
      const { width, height } = page.viewportSize() || { width: 1400, height: 900 };
      await page.mouse.move(Math.round(width / 2), height - 40);
      await page.waitForTimeout(1000);
    },

    /** Make sure the chat view is visible (Ctrl+Alt+I, else command palette "Chat: Open Chat"). */
    async openChat({ timeout = 60000 } = {}) {
      const visible = async (ms) => {
        try {
          await page.waitForSelector(SEL.inputEditor, { state: 'visible', timeout: ms });
          return true;
        } catch {
          return false;
        }
      };
      if (await visible(5000)) return;
      await page.keyboard.press('Control+Alt+KeyI');
      if (await visible(5000)) return;
      await s.runCommand('Chat: Open Chat');
      if (!(await visible(timeout))) throw new Error('chat view did not open');
    },

    /**
     * Run a command through the command palette (F1) by its label. The workbench
     * can close the palette under us while it settles (focus moving to an editor or
     * a view that is opening): then open it again, a few times.
     */
    async runCommand(label) {
      for (let attempt = 1; ; attempt++) {
        try {
          await page.keyboard.press('F1');
          await page.waitForSelector(SEL.quickInputBox, { state: 'visible', timeout: 10000 });
          await page.fill(SEL.quickInputBox, '>' + label, { timeout: 5000 });
          break;
        } catch (err) {
          if (attempt >= 4) throw err;
          await page.keyboard.press('Escape');
          await page.waitForTimeout(500);
        }
      }
      await page.waitForTimeout(500);
      await page.keyboard.press('Enter');
    },

    async currentMode() {
      return page.getAttribute(SEL.modePicker, 'aria-label');
    },

    /** Switch the chat mode (e.g. 'Agent', 'Ask', 'Plan'). */
    async selectMode(mode = 'Agent', { timeout = 30000 } = {}) {
      await page.waitForSelector(SEL.modePicker, { state: 'visible', timeout });
      if ((await s.currentMode()) === mode) return;
      await page.click(SEL.modePicker);
      await page.waitForSelector(SEL.actionWidgetRow, { state: 'visible', timeout: 10000 });
      const row = page.locator(SEL.actionWidgetRow).filter({ has: page.locator('.title', { hasText: new RegExp(`^\\s*${escapeRe(mode)}\\s*$`) }) });
      if ((await row.count()) === 0) {
        const labels = await page.locator(SEL.actionWidgetRow).evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
        await page.keyboard.press('Escape');
        throw new Error(`mode "${mode}" not offered; modes: ${JSON.stringify(labels)}`);
      }
      await row.first().click();
      await page.waitForFunction(([sel, m]) => document.querySelector(sel)?.getAttribute('aria-label') === m, [SEL.modePicker, mode], { timeout: 10000 });
    },

    async currentModel() {
      const label = await page.getAttribute(SEL.modelPicker, 'aria-label');
      return label ? label.replace(/^Models, /, '') : label;
    },

    /** Rows currently shown in the open model picker: [{ label, title, group }]. */
    async listPickerRows() {
      return page.locator(SEL.actionWidgetRow).evaluateAll((els) =>
        els.map((e) => {
          // the nearest preceding header row gives the group (vendor) when the picker groups models
          let group = null;
          for (let p = e.previousElementSibling; p; p = p.previousElementSibling) {
            if (p.classList.contains('group-header') || p.getAttribute('role') === 'presentation' || p.querySelector('.group-title:not([style*="display: none"])')) {
              group = (p.textContent || '').trim();
              break;
            }
          }
          return {
            label: e.getAttribute('aria-label'),
            title: (e.querySelector('.title')?.textContent || '').trim(),
            text: (e.textContent || '').trim(),
            group,
          };
        }),
      );
    },

    /**
     * Opens the model picker (with "Other Models" expanded, retrying while the
     * dropdown is being rebuilt) and leaves it open.
     */
    async openModelPicker({ expand = true, timeout = 60000 } = {}) {
      const deadline = Date.now() + timeout;
      for (;;) {
        await page.click(SEL.modelPicker);
        await page.locator(SEL.actionWidgetRow).first().waitFor({ state: 'visible', timeout: 10000 });
        if (!expand || !(await page.locator(SEL.modelSectionToggle).count())) return;
        if (await clickedInTime(page.locator(SEL.modelSectionToggle).first())) return;
        await page.keyboard.press('Escape');
        if (Date.now() > deadline) throw new Error('could not open the model picker with "Other Models" expanded');
        await page.waitForTimeout(500);
      }
    },

    /**
     * Open the model picker and choose a model by display name. Retries until the
     * model is offered (providers' models only appear after they fire
     * onDidChangeLanguageModelChatInformation). vendor: the provider's displayName;
     * used to disambiguate models with the same name (matched against the row text /
     * aria-label / group header), best effort.
     */
    async pickModel(name, { vendor, timeout = 60000 } = {}) {
      await page.waitForSelector(SEL.modelPicker, { state: 'visible', timeout });
      const deadline = Date.now() + timeout;
      let lastRows = [];
      for (;;) {
        await page.click(SEL.modelPicker);
        await page.waitForSelector(SEL.actionWidgetRow, { state: 'visible', timeout: 10000 });
        if (await page.locator(SEL.actionWidgetSearch).count()) {
          await page.fill(SEL.actionWidgetSearch, name);
          await page.waitForTimeout(300);
        }
        lastRows = await s.listPickerRows();
        // Models not pinned/recent live in a collapsed "Other Models" section: expand it.
        if (!findModelRows(lastRows, name).length && (await page.locator(SEL.modelSectionToggle).count())) {
          if (!(await clickedInTime(page.locator(SEL.modelSectionToggle).first()))) {
            await page.keyboard.press('Escape');
            if (Date.now() > deadline) throw new Error(`could not expand "Other Models" to find "${name}"`);
            continue;
          }
          await page.waitForTimeout(300);
          lastRows = await s.listPickerRows();
        }
        const candidates = findModelRows(lastRows, name);
        let idx = candidates[0];
        if (vendor && candidates.length > 1) {
          // row aria-label: "<model name>, <vendor displayName>[, Current model]"
          const v =
            candidates.find((i) => (lastRows[i].label || '').split(', ')[1] === vendor) ??
            candidates.find((i) => [lastRows[i].text, lastRows[i].group].some((t) => t && t.includes(vendor)));
          if (v !== undefined) idx = v;
        }
        if (idx !== undefined) {
          if (!(await clickedInTime(page.locator(SEL.actionWidgetRow).nth(idx)))) {
            await page.keyboard.press('Escape');
            if (Date.now() > deadline) throw new Error(`could not click "${name}" in the picker`);
            continue;
          }
          await page.waitForFunction(([sel, n]) => document.querySelector(sel)?.getAttribute('aria-label') === `Models, ${n}`, [SEL.modelPicker, name], {
            timeout: 10000,
          });
          return;
        }
        await page.keyboard.press('Escape');
        if (Date.now() > deadline) {
          throw new Error(`model "${name}" not offered in the picker; rows: ${JSON.stringify(lastRows)}`);
        }
        await page.waitForTimeout(1000);
      }
    },

    /** The model's options as the picker shows them: [{ section, option, checked }]; the dropdown is closed again. */
    async listModelConfig({ timeout = 30000 } = {}) {
      await page.waitForSelector(SEL.modelConfig, { state: 'visible', timeout });
      await page.click(SEL.modelConfig);
      await page.waitForSelector(`${SEL.modelConfigRow}.chat-model-picker-config-option`, { state: 'visible', timeout: 10000 });
      const rows = await readConfigRows();
      await closeDropdown();
      return rows;
    },

    /**
     * Choose a model option in the picker's options dropdown (beside the model
     * picker), e.g. configureModel('Thinking Effort', 'High'), then close the
     * dropdown (it stays open after a pick, over the chat input) and wait until
     * the picker shows the choice.
     */
    async configureModel(section, option, { timeout = 30000 } = {}) {
      await page.waitForSelector(SEL.modelConfig, { state: 'visible', timeout });
      await page.click(SEL.modelConfig);
      await page.waitForSelector(`${SEL.modelConfigRow}.chat-model-picker-config-option`, { state: 'visible', timeout: 10000 });
      const rows = await readConfigRows();
      const index = rows.findIndex((r) => r.section === section && r.option === option);
      if (index < 0) {
        await closeDropdown();
        throw new Error(`no option "${option}" under "${section}" in the model options; rows: ${JSON.stringify(rows)}`);
      }
      await page.locator(`${SEL.modelConfigRow}.chat-model-picker-config-option`).nth(index).click();
      await closeDropdown();
      await page.waitForFunction(([sel, want]) => (document.querySelector(sel)?.getAttribute('aria-label') || '').includes(want), [SEL.modelConfig, `${section}: ${option}`], {
        timeout: 10000,
      });
    },

    /** Wait until VS Code's context-window indicator says `label` ("Context window usage: 15%"); returns it. */
    async waitForContextUsage(label, { timeout = 20000 } = {}) {
      await page
        .waitForFunction(([sel, want]) => document.querySelector(sel)?.getAttribute('aria-label') === want, [SEL.contextUsage, label], { timeout })
        .catch(async (e) => {
          const got = await page.locator(SEL.contextUsage).first().getAttribute('aria-label').catch(() => null);
          throw new Error(`context indicator did not show "${label}" (it shows ${JSON.stringify(got)}): ${e.message.split('\n')[0]}`);
        });
      return label;
    },

    /** Expand the latest answer's thinking (VS Code shows it as collapsed steps) and return the text it shows. */
    async lastThinkingText({ timeout = 10000 } = {}) {
      const last = page.locator(SEL.lastResponse).last();
      const summary = last.locator('summary.completed-response-summary');
      if ((await summary.count()) && (await summary.first().getAttribute('aria-expanded')) !== 'true') await summary.first().click();
      const box = last.locator('.chat-thinking-box').first();
      await box.waitFor({ state: 'visible', timeout });
      const toggle = box.locator('.chat-used-context-label a').first();
      if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
      await page.waitForTimeout(300);
      return (await box.innerText()).trim();
    },

    /** Type a message into the chat input and send it (Enter). */
    async sendMessage(text) {
      await page.waitForSelector(SEL.inputEditor, { state: 'visible', timeout: 30000 });
      // innerText wraps long lines, so compare without whitespace.
      const squash = (t) => t.replace(/\s+/g, '');
      const inputText = async () => squash(await page.locator(SEL.inputEditorLines).innerText().catch(() => ''));
      // After a long answer, focus can sit elsewhere and the text goes nowhere: check it landed, else retry.
      for (let attempt = 1; (await inputText()) !== squash(text); attempt++) {
        if (attempt > 5) throw new Error(`could not type into the chat input (it shows ${JSON.stringify(await inputText())})`);
        await page.click(SEL.inputEditorLines, { force: true });
        await page.focus(SEL.inputEditor);
        await page.keyboard.press('Control+A');
        await page.keyboard.press('Backspace');
        // insertText, not type: typing key by key lost spaces while the input editor settled.
        await page.keyboard.insertText(text);
        await page.waitForTimeout(200 * attempt);
      }
      // Sent = the text left the input. (Counting request rows fails once the virtualised list scrolls.)
      const sent = async (ms) => {
        const deadline = Date.now() + ms;
        while (Date.now() < deadline) {
          if (!(await inputText()).includes(squash(text))) return true;
          await page.waitForTimeout(100);
        }
        return false;
      };
      // Click the send button (Enter is not always delivered to the input after the pickers were used).
      if (await page.locator(SEL.sendButton).count()) await page.click(SEL.sendButton, { timeout: 5000 }).catch(() => page.keyboard.press('Enter'));
      else await page.keyboard.press('Enter');
      // The chat may still be finishing the previous turn and ignore the send: retry a few times.
      for (let attempt = 1; !(await sent(5000)); attempt++) {
        if (attempt >= 6) {
          await s.screenshot('send-failed').catch(() => {});
          throw new Error(`the message was not sent (the input still shows ${JSON.stringify(await inputText())})`);
        }
        await page.focus(SEL.inputEditor);
        if (attempt % 2 && (await page.locator(SEL.sendButton).count())) await page.click(SEL.sendButton, { timeout: 5000 }).catch(() => {});
        else await page.keyboard.press('Enter');
      }
    },

    /** Text of the latest response. */
    async lastResponseText() {
      const loc = page.locator(SEL.lastResponse + ' .value');
      return (await loc.count()) ? (await loc.last().innerText()).trim() : '';
    },

    /**
     * Wait until the latest response contains `expected` (string or RegExp) and
     * is no longer loading. Returns the response text.
     */
    async waitForResponse(expected, { timeout = 60000 } = {}) {
      const pattern = expected instanceof RegExp ? { source: expected.source, flags: expected.flags } : null;
      const handle = await page.waitForFunction(
        ([sel, str, pat]) => {
          const els = document.querySelectorAll(sel);
          const el = els[els.length - 1];
          if (!el) return false;
          const value = el.querySelector('.value');
          const text = (value ? value.innerText : el.innerText) || '';
          const ok = pat ? new RegExp(pat.source, pat.flags).test(text) : text.includes(str);
          return ok && !el.classList.contains('chat-response-loading') ? text : false;
        },
        [SEL.lastResponse, typeof expected === 'string' ? expected : null, pattern],
        { timeout, polling: 250 },
      ).catch(async (e) => {
        const got = await s.lastResponseText().catch(() => '');
        await s.screenshot('wait-for-response-failed').catch(() => {});
        throw new Error(`response matching ${expected} did not render within ${timeout} ms; last response: ${JSON.stringify(got)} (${e.message.split('\n')[0]})`);
      });
      return (await handle.jsonValue()).trim();
    },

    async close() {
      await closeBrowser();
      if (cs) await cs.stop();
    },
  };
  /** Option rows of the open model options dropdown, each with the section (header row) it sits under. */
  async function readConfigRows() {
    return page.locator(SEL.modelConfigRow).evaluateAll((els) => {
      const out = [];
      let section = null;
      for (const e of els) {
        if (e.classList.contains('group-header')) section = (e.textContent || '').trim();
        else if (e.classList.contains('chat-model-picker-config-option')) {
          out.push({ section, option: (e.querySelector('.title')?.textContent || '').trim(), checked: e.getAttribute('aria-checked') === 'true' });
        }
      }
      return out;
    });
  }

  async function closeDropdown() {
    await page.keyboard.press('Escape');
    await page.waitForSelector(`${SEL.modelConfigRow}.chat-model-picker-config-option`, { state: 'detached', timeout: 10000 }).catch(() => {});
  }

  return s;
}

function findModelRows(rows, name) {
  const out = [];
  rows.forEach((r, i) => {
    if (r.title === name || (r.label || '').split(', ')[0].trim() === name) out.push(i);
  });
  return out;
}

function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** One-shot scenario: open chat, agent mode, pick model, send, wait, screenshots. Returns response text. */
async function runChatScenario(o) {
  const s = await startChatSession(o);
  try {
    await s.openChat();
    await s.screenshot('chat-open');
    await s.selectMode(o.mode || 'Agent');
    await s.pickModel(o.model, { vendor: o.vendor, timeout: o.timeout });
    await s.screenshot('model-picked');
    await s.sendMessage(o.message || 'hi');
    const text = await s.waitForResponse(o.expect || /\S/, { timeout: o.timeout });
    await s.screenshot('response');
    return text;
  } finally {
    await s.close();
  }
}

module.exports = { startChatSession, runChatScenario, SEL, defaultLogFilter };

if (require.main === module) {
  const argv = process.argv.slice(2);
  const get = (k, d) => {
    const i = argv.indexOf('--' + k);
    return i >= 0 ? argv[i + 1] : d;
  };
  const reason = host.missingInstall();
  if (reason) {
    console.error(`\n########## chat-e2e: vscode-host NOT INSTALLED: ${reason} ##########\n`);
    process.exit(3);
  }
  const started = Date.now();
  runChatScenario({
    url: get('url'),
    devPath: get('dev', host.ROOT),
    folder: get('folder'),
    model: get('model', 'Claude Sonnet 4.5'),
    vendor: get('vendor'),
    mode: get('mode', 'Agent'),
    message: get('message', 'hi'),
    expect: get('expect'),
    timeout: Number(get('timeout', 60000)),
    screenshotDir: get('screenshots'),
  })
    .then(async (text) => {
      console.log(`chat-e2e: OK in ${((Date.now() - started) / 1000).toFixed(1)}s; response: ${JSON.stringify(text)}`);
      await host.cleanupAll();
      process.exit(0);
    })
    .catch(async (e) => {
      console.error(`chat-e2e: FAILED: ${e && e.message}`);
      await host.cleanupAll();
      process.exit(1);
    });
}
