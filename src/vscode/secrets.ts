import * as vscode from 'vscode';
import { StoredIamCredentials, StoredSecrets } from '../core/auth/types';

/** SecretStorage keys. Public API: other tools may read them; never rename. */
export const SECRET_KEYS = {
  apiKey: 'bedrockChat.apiKey',
  iamCredentials: 'bedrockChat.iamCredentials',
} as const;

export class Secrets {
  constructor(private readonly storage: vscode.SecretStorage) {}

  get onDidChange(): vscode.Event<vscode.SecretStorageChangeEvent> {
    return this.storage.onDidChange;
  }

  async load(): Promise<StoredSecrets> {
    const [apiKey, iam] = await Promise.all([this.storage.get(SECRET_KEYS.apiKey), this.storage.get(SECRET_KEYS.iamCredentials)]);
    let iamCredentials: StoredIamCredentials | undefined;
    if (iam) {
      try {
        const parsed = JSON.parse(iam) as StoredIamCredentials;
        if (parsed && typeof parsed.accessKeyId === 'string' && typeof parsed.secretAccessKey === 'string') iamCredentials = parsed;
      } catch {
        // A corrupt entry counts as absent; storing new credentials replaces it.
      }
    }
    return { apiKey: apiKey || undefined, iamCredentials };
  }

  async setApiKey(key: string | undefined): Promise<void> {
    if (key) await this.storage.store(SECRET_KEYS.apiKey, key);
    else await this.storage.delete(SECRET_KEYS.apiKey);
  }

  async setIamCredentials(creds: StoredIamCredentials | undefined): Promise<void> {
    if (creds) await this.storage.store(SECRET_KEYS.iamCredentials, JSON.stringify(creds));
    else await this.storage.delete(SECRET_KEYS.iamCredentials);
  }

  async clear(): Promise<void> {
    await Promise.all([this.storage.delete(SECRET_KEYS.apiKey), this.storage.delete(SECRET_KEYS.iamCredentials)]);
  }
}
