import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** What a SigV4-signed request must have been signed with. */
export interface SigV4Expectation {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  service: string;
  /** A signature older or newer than this is refused, as AWS does after 5 minutes. */
  maxSkewMs?: number;
}

/** Why a request's signature is refused, in AWS's words; undefined when it is good. */
export interface SigV4Refusal {
  type: 'UnrecognizedClientException' | 'InvalidSignatureException';
  message: string;
}

const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

/**
 * Checks a request's AWS Signature Version 4 by computing it again from the canonical request
 * with node:crypto (independently of the signing library the adapter uses).
 */
export function verifySigV4(
  method: string,
  url: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
  expected: SigV4Expectation,
  now = Date.now(),
): SigV4Refusal | undefined {
  const match = AUTH.exec(header(headers, 'authorization'));
  if (!match) return invalid('Authorization header requires a valid AWS4-HMAC-SHA256 signature.');
  const [, keyId, day, region, service, signedList, signature] = match as unknown as string[];
  if (keyId !== expected.accessKeyId) {
    return {
      type: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    };
  }
  if (region !== expected.region || service !== expected.service) {
    return invalid(
      `Credential should be scoped to a valid region and service ${expected.service}.`,
    );
  }
  const amzDate = header(headers, 'x-amz-date');
  const signedAt = parseAmzDate(amzDate);
  if (signedAt === undefined || !amzDate.startsWith(day!)) return invalid('Invalid X-Amz-Date.');
  if (Math.abs(now - signedAt) > (expected.maxSkewMs ?? 5 * 60_000)) {
    return invalid('Signature expired: the request time is too far from the server time.');
  }
  const signedHeaders = signedList!.split(';');
  if (!signedHeaders.includes('host') || !signedHeaders.includes('x-amz-date')) {
    return invalid('The host and x-amz-date headers must be signed.');
  }
  const payloadHash = sha256Hex(body);
  const sentHash = header(headers, 'x-amz-content-sha256');
  if (sentHash && sentHash !== payloadHash) return invalid('The body does not match its hash.');
  const target = new URL(url, 'http://fake');
  const canonical = [
    method,
    canonicalPath(target.pathname),
    canonicalQuery(target.searchParams),
    ...signedHeaders.map((name) => `${name}:${header(headers, name).trim().replace(/\s+/g, ' ')}`),
    '',
    signedList,
    payloadHash,
  ].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonical)].join('\n');
  let key: Buffer = hmac(`AWS4${expected.secretAccessKey}`, day!);
  for (const part of [region!, service!, 'aws4_request']) key = hmac(key, part);
  const wanted = Buffer.from(hmac(key, toSign).toString('hex'));
  if (timingSafeEqual(wanted, Buffer.from(signature!))) return undefined;
  return invalid(
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
  );
}

function invalid(message: string): SigV4Refusal {
  return { type: 'InvalidSignatureException', message };
}

function header(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}

/** Every service but S3 signs the path URI-encoded once more than it was sent. */
function canonicalPath(path: string): string {
  return path
    .split('/')
    .map((segment) => strictEncode(segment))
    .join('/');
}

function canonicalQuery(params: URLSearchParams): string {
  return [...params]
    .map(([name, value]) => `${strictEncode(name)}=${strictEncode(value)}`)
    .sort()
    .join('&');
}

/** RFC 3986 encoding: encodeURIComponent leaves !'()* as they are, AWS does not. */
function strictEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function parseAmzDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
}

function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}
