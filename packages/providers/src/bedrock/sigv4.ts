import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { BedrockCredentials } from './bedrock-credentials.js';

export interface SignedRequest {
  url: string;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * Signs a Bedrock Runtime POST with AWS Signature Version 4 over the exact body bytes sent
 * (the session token travels as `x-amz-security-token` and is signed too).
 */
export async function signBedrockRequest(
  url: string,
  body: Buffer,
  region: string,
  credentials: BedrockCredentials,
  headers: Record<string, string>,
  now: Date = new Date(),
): Promise<SignedRequest> {
  const target = new URL(url);
  const signer = new SignatureV4({ service: 'bedrock', region, credentials, sha256: Sha256 });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: target.protocol,
      hostname: target.hostname,
      ...(target.port ? { port: Number(target.port) } : {}),
      path: target.pathname,
      query: {},
      headers: { ...headers, host: target.host },
      body,
    },
    { signingDate: now },
  );
  // Node's fetch sets Host itself; the signed value is the same.
  const { host: _host, ...sent } = signed.headers;
  return { url, headers: sent, body };
}
