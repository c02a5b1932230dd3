import { isRecord, stringOf, type JsonObject } from '../json-values.js';

const DATA_URL = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s;

/**
 * An OpenAI message's `content` (a string or an array of parts) as Anthropic content blocks:
 * text parts become text blocks, `image_url` parts image blocks (a `data:` URL as a base64
 * source, an http(s) URL as a url source). Empty texts are dropped (Anthropic refuses them) and
 * so are parts it has no block for (audio, files). A part's `cache_control` is kept, so clients
 * that mark prompt-cache breakpoints keep them.
 */
export function contentBlocks(content: unknown): JsonObject[] {
  if (typeof content === 'string') return content ? [{ type: 'text', text: content }] : [];
  if (!Array.isArray(content)) return [];
  const blocks: JsonObject[] = [];
  for (const part of content) {
    const block = isRecord(part) ? partBlock(part) : undefined;
    if (!block) continue;
    if (isRecord(part) && isRecord(part.cache_control)) block.cache_control = part.cache_control;
    blocks.push(block);
  }
  return blocks;
}

function partBlock(part: JsonObject): JsonObject | undefined {
  if (part.type === 'text' || part.type === 'refusal') {
    const text = stringOf(part.text) ?? stringOf(part.refusal);
    return text ? { type: 'text', text } : undefined;
  }
  if (part.type === 'image_url') {
    const image = part.image_url;
    const url = isRecord(image) ? stringOf(image.url) : stringOf(image);
    return url ? imageBlock(url) : undefined;
  }
  return undefined;
}

function imageBlock(url: string): JsonObject | undefined {
  const data = DATA_URL.exec(url);
  if (data) {
    const [, mediaType, base64] = data;
    return { type: 'image', source: { type: 'base64', media_type: mediaType, data: base64 } };
  }
  if (/^https?:\/\//i.test(url)) return { type: 'image', source: { type: 'url', url } };
  return undefined;
}

/** The text of an OpenAI `content`, parts joined: for system prompts and tool results. */
export function contentText(content: unknown): string {
  return contentBlocks(content)
    .map((block) => stringOf(block.text) ?? '')
    .join('');
}
