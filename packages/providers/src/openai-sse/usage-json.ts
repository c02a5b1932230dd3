import { parseJson, isRecord } from '../json-values.js';
import { parseOpenAIUsage, parseRerankUsage, type UpstreamUsage } from './openai-usage.js';

/**
 * The `usage` object of an OpenAI JSON body, found from the end of the text and parsed alone:
 * embedding answers can be megabytes of numbers that billing does not need to parse.
 */
export function usageFromJson(text: string): UpstreamUsage | undefined {
  const at = text.lastIndexOf('"usage"');
  if (at === -1) return undefined;
  const start = text.indexOf('{', at);
  if (start === -1) return undefined;
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === 0x7b) depth++;
    else if (char === 0x7d && --depth === 0) return toUsage(text.slice(start, i + 1));
    else if (char === 0x22) i = endOfString(text, i);
  }
  return undefined;
}

function endOfString(text: string, quote: number): number {
  for (let i = quote + 1; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === 0x5c) i++;
    else if (char === 0x22) return i;
  }
  return text.length;
}

function toUsage(json: string): UpstreamUsage | undefined {
  try {
    return parseOpenAIUsage(JSON.parse(json));
  } catch {
    return undefined;
  }
}

/**
 * The usage of a rerank answer, read from the parsed answer's top level: documents echoed back
 * are the client's, and a `"usage"` among them must not be taken for the upstream's.
 */
export function rerankUsageFromJson(text: string): UpstreamUsage | undefined {
  const answer = parseJson(text);
  return isRecord(answer) ? parseRerankUsage(answer.usage) : undefined;
}
