/** The AWS credentials a Bedrock channel's key holds. */
export interface BedrockCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** A Bedrock channel key that is not `accessKeyId|secretAccessKey[|sessionToken]`. */
export class BedrockKeyError extends Error {
  override readonly name = 'BedrockKeyError';
}

/**
 * Reads a channel key `accessKeyId|secretAccessKey` or `accessKeyId|secretAccessKey|sessionToken`.
 * Errors name the part that is wrong, never its value: the key is a secret.
 */
export function parseBedrockKey(key: string): BedrockCredentials {
  const parts = key.trim().split('|');
  if (parts.length < 2 || parts.length > 3) {
    throw new BedrockKeyError(
      `an AWS Bedrock key is accessKeyId|secretAccessKey or accessKeyId|secretAccessKey|sessionToken (${parts.length} part${parts.length === 1 ? '' : 's'} given)`,
    );
  }
  const [accessKeyId = '', secretAccessKey = '', sessionToken] = parts.map((part) => part.trim());
  if (!/^[A-Z0-9]{16,128}$/.test(accessKeyId)) {
    throw new BedrockKeyError(
      'the access key id of an AWS Bedrock key must be 16 to 128 capital letters and digits',
    );
  }
  if (!secretAccessKey || /\s/.test(secretAccessKey)) {
    throw new BedrockKeyError('the secret access key of an AWS Bedrock key is empty or has spaces');
  }
  if (sessionToken === undefined) return { accessKeyId, secretAccessKey };
  if (!sessionToken || /\s/.test(sessionToken)) {
    throw new BedrockKeyError('the session token of an AWS Bedrock key is empty or has spaces');
  }
  return { accessKeyId, secretAccessKey, sessionToken };
}
