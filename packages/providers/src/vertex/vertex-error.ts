import type { ClientFailure } from '../adapter.js';
import { anthropicClientError } from '../anthropic/anthropic-error.js';
import type { UpstreamChannel } from '../channel.js';
import { geminiClientError } from '../gemini/gemini-error.js';

/**
 * A Vertex AI error answer as the client gets it. Vertex AI's front end (authentication, IAM,
 * billing, quota, a model the project may not call) answers in Google's shape,
 * `{"error":{code,message,status,details}}`, whichever publisher's model was called, and is judged
 * as Gemini's errors are (billing off is `insufficient_quota`, a disabled API `invalid_api_key`);
 * a Claude model's own refusals keep Anthropic's shape, `{"type":"error","error":{…}}`, and are
 * judged as Anthropic's. Google quotes the operator's project in resource names: the client is
 * not told it.
 */
export function vertexClientError(
  channel: UpstreamChannel,
  status: number,
  text: string,
): ClientFailure {
  const masked = withoutProject(channel, text);
  return isAnthropicError(masked)
    ? anthropicClientError(channel, status, masked)
    : geminiClientError(channel, status, masked);
}

function withoutProject(channel: UpstreamChannel, text: string): string {
  const project = channel.config.project;
  return typeof project === 'string' && project ? text.split(project).join('(project)') : text;
}

function isAnthropicError(text: string): boolean {
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null && 'type' in parsed
      ? parsed.type === 'error'
      : false;
  } catch {
    return false;
  }
}
