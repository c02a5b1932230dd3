import { claudeErrorOfOpenAI, geminiErrorOfOpenAI, type NativeFormat } from '@chat-api/providers';

/** The OpenAI error body every client library knows how to read. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export function openAIError(
  message: string,
  type: string,
  code: string | null = null,
): OpenAIErrorBody {
  return { error: { message, type, param: null, code } };
}

/**
 * An OpenAI error body (JSON text) as the client's format writes errors: Claude clients read
 * `{"type":"error","error":{type,message}}`, Gemini clients `{"error":{code,message,status}}`,
 * with the gateway's code kept in the message; Responses clients read OpenAI's.
 */
export function errorInClientFormat(
  format: NativeFormat | undefined,
  status: number,
  openAIBody: string,
): string {
  switch (format) {
    case 'claude':
      return claudeErrorOfOpenAI(status, openAIBody);
    case 'gemini':
      return geminiErrorOfOpenAI(status, openAIBody);
    default:
      return openAIBody;
  }
}
