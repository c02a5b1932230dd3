/** An OpenAI-shaped error body, `{"error":{message,type,param,code}}`, as clients parse it. */
export function openAIErrorBody(
  message: string,
  type = 'upstream_error',
  code: string | null = null,
): string {
  return JSON.stringify({ error: { message, type, param: null, code } });
}
