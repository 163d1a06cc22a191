/** Recognises what a pasted credential is, to catch the common mix-ups early. */
const ACCESS_KEY_ID = /^(AKIA|ASIA)[A-Z0-9]{16}$/;
const API_KEY = /^(ABSK[A-Za-z0-9+/=]{16,}|bedrock-api-key-\S{16,})$/;

export const looksLikeAccessKeyId = (s: string): boolean => ACCESS_KEY_ID.test(s.trim());
export const looksLikeApiKey = (s: string): boolean => API_KEY.test(s.trim());

/** A warning for input to "Set Bedrock API Key", or undefined when it looks fine. */
export function apiKeyWarning(input: string): string | undefined {
  const s = input.trim();
  if (!s) return undefined;
  if (looksLikeAccessKeyId(s)) return 'This looks like an AWS access key ID, not a Bedrock API key. Use "Bedrock: Set IAM Credentials" for access keys.';
  if (/\s/.test(s)) return 'API keys contain no spaces; check that only the key was pasted.';
  if (!looksLikeApiKey(s)) return 'This does not look like a Bedrock API key (they start with "ABSK" or "bedrock-api-key-"). It will be stored anyway.';
  return undefined;
}

/** A warning for the access key ID input of "Set IAM Credentials". */
export function accessKeyIdWarning(input: string): string | undefined {
  const s = input.trim();
  if (!s) return undefined;
  if (looksLikeApiKey(s)) return 'This looks like a Bedrock API key, not an access key ID. Use "Bedrock: Set Bedrock API Key" for API keys.';
  if (!looksLikeAccessKeyId(s)) return 'Access key IDs are 20 characters starting with AKIA (long-term) or ASIA (temporary).';
  return undefined;
}
