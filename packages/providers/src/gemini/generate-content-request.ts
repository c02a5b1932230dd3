import { toGeminiContents } from './chat-contents.js';
import { toGenerationConfig } from './generation-config.js';
import { toGeminiTools, toToolConfig } from './gemini-tools.js';

/**
 * The body of a Gemini `generateContent` / `streamGenerateContent` call for an OpenAI chat
 * request (the model goes in the URL). OpenAI fields Gemini has no use for are left behind.
 */
export function toGenerateContentRequest(json: Record<string, unknown>): Record<string, unknown> {
  const { systemInstruction, contents } = toGeminiContents(json.messages);
  const body: Record<string, unknown> = { contents };
  if (systemInstruction) body.systemInstruction = systemInstruction;
  const tools = toGeminiTools(json.tools);
  if (tools) body.tools = tools;
  const toolConfig = tools ? toToolConfig(json.tool_choice) : undefined;
  if (toolConfig) body.toolConfig = toolConfig;
  const generationConfig = toGenerationConfig(json);
  if (generationConfig) body.generationConfig = generationConfig;
  return body;
}
