import type { UpstreamChannel } from './channel.js';
import { RequestNotSupportedError, UnknownChannelTypeError } from './errors.js';
import { findChannelType, type ChannelTypeSpec } from './registry.js';

export interface UpstreamTarget {
  url: string;
  headers: Record<string, string>;
}

export interface UpstreamRequestOptions {
  channel: UpstreamChannel;
  /** An OpenAI path with its query, e.g. `/v1/chat/completions` or `/v1/models`. */
  path: string;
  /** The upstream model name (already mapped); Azure routes by it. */
  model?: string;
}

/** The URL and auth headers of an OpenAI-style call to the channel's provider. */
export function buildUpstreamRequest({
  channel,
  path,
  model,
}: UpstreamRequestOptions): UpstreamTarget {
  const spec = findChannelType(channel.type);
  if (!spec) throw new UnknownChannelTypeError(channel.type);
  const base = baseUrlOf(channel, spec);
  switch (spec.wire) {
    case 'openai':
      return {
        url: base + (spec.dropsV1 ? withoutV1(path) : path),
        headers: { authorization: `Bearer ${channel.key}` },
      };
    case 'azure':
      return { url: azureUrl(base, path, channel, model), headers: { 'api-key': channel.key } };
    default:
      throw new RequestNotSupportedError(channel.type);
  }
}

function baseUrlOf(channel: UpstreamChannel, spec: ChannelTypeSpec): string {
  return (channel.baseUrl || spec.defaultBaseUrl).replace(/\/+$/, '');
}

function withoutV1(path: string): string {
  return path.replace(/^\/v1(?=\/|\?|$)/, '');
}

/** `{endpoint}/openai/deployments/{deployment}/…?api-version=…`, as One API builds it. */
function azureUrl(base: string, path: string, channel: UpstreamChannel, model?: string): string {
  // The console checked it on save (channel-config.ts); here only its presence matters.
  const apiVersion = channel.config.apiVersion;
  if (typeof apiVersion !== 'string' || apiVersion.trim() === '') {
    throw new Error('azure channel needs config.apiVersion');
  }
  const rest = withoutV1(path);
  // Deployment names cannot hold dots, so "gpt-3.5-turbo" is deployed as "gpt-35-turbo".
  const prefix = model
    ? `/openai/deployments/${encodeURIComponent(model.replaceAll('.', ''))}`
    : '/openai';
  const separator = rest.includes('?') ? '&' : '?';
  return `${base}${prefix}${rest}${separator}api-version=${encodeURIComponent(apiVersion.trim())}`;
}
