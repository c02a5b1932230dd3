import { describe, expect, it } from 'vitest';
import { parseServiceAccount, ServiceAccountError } from './service-account.js';

const PRIVATE_KEY =
  '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7secret\n-----END PRIVATE KEY-----\n';

function keyFile(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    type: 'service_account',
    project_id: 'acme-llm-prod',
    private_key_id: '3f1c0e9a',
    private_key: PRIVATE_KEY,
    client_email: 'gateway@acme-llm-prod.iam.gserviceaccount.com',
    token_uri: 'https://oauth2.googleapis.com/token',
    ...overrides,
  });
}

function refusal(key: string): string {
  try {
    parseServiceAccount(key);
  } catch (error) {
    expect(error).toBeInstanceOf(ServiceAccountError);
    const message = (error as Error).message;
    expect(message).not.toContain('secret');
    return message;
  }
  throw new Error('expected the key file to be refused');
}

describe('parseServiceAccount', () => {
  it('reads the account, its private key and its token service from a key file', () => {
    expect(parseServiceAccount(keyFile())).toEqual({
      clientEmail: 'gateway@acme-llm-prod.iam.gserviceaccount.com',
      privateKey: PRIVATE_KEY,
      tokenUri: 'https://oauth2.googleapis.com/token',
    });
  });

  it("mints at Google's token service when the key file names none", () => {
    expect(parseServiceAccount(keyFile({ token_uri: undefined })).tokenUri).toBe(
      'https://oauth2.googleapis.com/token',
    );
  });

  it('names what is wrong with a key that is not a service account key file', () => {
    expect(refusal('sk-ant-secret')).toMatch(/service account key file \(JSON\)/);
    expect(refusal('"secret"')).toMatch(/not of type service_account/);
    expect(refusal(keyFile({ type: 'authorized_user' }))).toMatch(/not of type service_account/);
    expect(refusal(keyFile({ client_email: undefined }))).toMatch(/no client_email/);
    expect(refusal(keyFile({ client_email: 42 }))).toMatch(/no client_email/);
    expect(refusal(keyFile({ private_key: undefined }))).toMatch(/no private_key/);
    expect(refusal(keyFile({ private_key: 'secret' }))).toMatch(/no private_key/);
    expect(refusal(keyFile({ token_uri: 'file:///secret' }))).toMatch(/token_uri .* not a URL/);
  });
});
