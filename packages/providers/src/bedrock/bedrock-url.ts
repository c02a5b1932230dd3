/**
 * The Bedrock Runtime URL for a model: `/model/{modelId}/invoke`, or
 * `/invoke-with-response-stream`. The id is encoded (`anthropic.claude-…-v1:0` holds a colon,
 * an ARN slashes); a channel's base URL (a VPC endpoint) replaces the regional origin.
 */
export function bedrockUrl(baseUrl: string, region: string, modelId: string, stream: boolean) {
  const origin = baseUrl
    ? baseUrl.replace(/\/+$/, '')
    : `https://bedrock-runtime.${region}.amazonaws.com`;
  const action = stream ? 'invoke-with-response-stream' : 'invoke';
  return `${origin}/model/${encodeURIComponent(modelId)}/${action}`;
}

/** An AWS region name such as us-east-1 or ap-southeast-2; anything else is a setting error. */
export function isRegion(value: unknown): value is string {
  return typeof value === 'string' && /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(value);
}
