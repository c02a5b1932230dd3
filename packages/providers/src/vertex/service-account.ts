/** What the gateway needs of a Google Cloud service account's JSON key file. */
export interface ServiceAccount {
  clientEmail: string;
  /** PEM, as the key file holds it. */
  privateKey: string;
  /** Where access tokens are minted; Google's unless the key file names another. */
  tokenUri: string;
}

const GOOGLE_TOKEN_URI = 'https://oauth2.googleapis.com/token';

/** A Vertex AI channel key that is not a service account's key file. */
export class ServiceAccountError extends Error {
  override readonly name = 'ServiceAccountError';
}

/**
 * Reads the key file a Vertex AI channel stores as its key. Errors name what is missing, never
 * a value: the file holds a private key.
 */
export function parseServiceAccount(key: string): ServiceAccount {
  let parsed: unknown;
  try {
    parsed = JSON.parse(key);
  } catch {
    throw new ServiceAccountError('a Vertex AI key must be a service account key file (JSON)');
  }
  const file = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<
    string,
    unknown
  >;
  if (file.type !== 'service_account') {
    throw new ServiceAccountError('the Vertex AI key file is not of type service_account');
  }
  const text = (field: string) => (typeof file[field] === 'string' ? file[field] : '');
  const clientEmail = text('client_email');
  const privateKey = text('private_key');
  if (!clientEmail) throw new ServiceAccountError('the Vertex AI key file has no client_email');
  if (!privateKey.includes('PRIVATE KEY')) {
    throw new ServiceAccountError('the Vertex AI key file has no private_key');
  }
  const tokenUri = text('token_uri') || GOOGLE_TOKEN_URI;
  if (!/^https?:\/\//.test(tokenUri)) {
    throw new ServiceAccountError('the token_uri of the Vertex AI key file is not a URL');
  }
  return { clientEmail, privateKey, tokenUri };
}
