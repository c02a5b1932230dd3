/** The Vertex AI publisher of a model: Anthropic's Claude models, Google's for the rest. */
export type VertexPublisher = 'anthropic' | 'google';

export function publisherOf(model: string): VertexPublisher {
  return model.startsWith('claude') ? 'anthropic' : 'google';
}

/**
 * A model's method URL on Vertex AI: `{origin}/v1/projects/{project}/locations/{region}/
 * publishers/{publisher}/models/{model}:{method}`. The origin is the region's endpoint
 * (`global` has none of its own) unless the channel names one (a proxy, a private endpoint).
 */
export function vertexUrl(
  baseUrl: string,
  project: string,
  region: string,
  model: string,
  method: string,
): string {
  const origin = baseUrl
    ? baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '')
    : region === 'global'
      ? 'https://aiplatform.googleapis.com'
      : `https://${region}-aiplatform.googleapis.com`;
  // Claude's ids carry their version after an `@`, which the path keeps as it is.
  const id = encodeURIComponent(model).replace(/%40/g, '@');
  return `${origin}/v1/projects/${encodeURIComponent(project)}/locations/${region}/publishers/${publisherOf(model)}/models/${id}:${method}`;
}

/** A Vertex AI location such as us-east5, europe-west1 or global. */
export function isVertexRegion(value: unknown): value is string {
  return typeof value === 'string' && /^(global|[a-z]+-[a-z]+\d{1,2})$/.test(value);
}
