/**
 * Every command the extension contributes: the one list. package.json's
 * `contributes.commands` must match it (a unit test checks), the VS Code layer
 * registers handlers by these keys, and errors name a fix by key.
 * Ids are public API (keybindings and scripts use them): never rename.
 */
export const COMMANDS = {
  setApiKey: { id: 'bedrockChat.setApiKey', title: 'Set Bedrock API Key' },
  setIamCredentials: { id: 'bedrockChat.setIamCredentials', title: 'Set IAM Credentials' },
  clearCredentials: { id: 'bedrockChat.clearCredentials', title: 'Clear Stored Credentials' },
  selectAuthMethod: { id: 'bedrockChat.selectAuthMethod', title: 'Select Authentication Method' },
  selectProfile: { id: 'bedrockChat.selectProfile', title: 'Select AWS Profile' },
  signIn: { id: 'bedrockChat.signIn', title: 'Sign In with IAM Identity Center' },
  selectRegion: { id: 'bedrockChat.selectRegion', title: 'Select Region' },
  refreshModels: { id: 'bedrockChat.refreshModels', title: 'Refresh Models' },
  showLog: { id: 'bedrockChat.showLog', title: 'Show Log' },
  showConnectionDetails: { id: 'bedrockChat.showConnectionDetails', title: 'Show Connection Details' },
  manage: { id: 'bedrockChat.manage', title: 'Manage Amazon Bedrock' },
} as const;

export type CommandKey = keyof typeof COMMANDS;
export const COMMAND_CATEGORY = 'Bedrock';

/** A command that fixes a problem, offered as a button next to the error. */
export type FixCommand = CommandKey;
