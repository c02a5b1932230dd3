import { describe, expect, it } from 'vitest';
import { isVertexRegion, publisherOf, vertexUrl } from './vertex-url.js';

describe('vertexUrl', () => {
  it('uses a regional endpoint, with the region in the path as the location', () => {
    expect(vertexUrl('', 'acme', 'europe-west1', 'gemini-2.5-pro', 'generateContent')).toBe(
      'https://europe-west1-aiplatform.googleapis.com/v1/projects/acme/locations/europe-west1/publishers/google/models/gemini-2.5-pro:generateContent',
    );
    expect(
      vertexUrl('', 'acme', 'us-east5', 'claude-sonnet-4-5@20250929', 'streamRawPredict'),
    ).toBe(
      'https://us-east5-aiplatform.googleapis.com/v1/projects/acme/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5@20250929:streamRawPredict',
    );
  });

  it('uses the endpoint without a region prefix for the global location', () => {
    expect(vertexUrl('', 'acme', 'global', 'claude-opus-4-5@20251101', 'rawPredict')).toBe(
      'https://aiplatform.googleapis.com/v1/projects/acme/locations/global/publishers/anthropic/models/claude-opus-4-5@20251101:rawPredict',
    );
    expect(
      vertexUrl('', 'acme', 'global', 'gemini-2.5-flash', 'streamGenerateContent?alt=sse'),
    ).toBe(
      'https://aiplatform.googleapis.com/v1/projects/acme/locations/global/publishers/google/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
    );
  });

  it("puts the channel's base URL in place of Google's origin, with or without /v1", () => {
    for (const base of [
      'https://proxy.example',
      'https://proxy.example/',
      'https://proxy.example/v1/',
    ]) {
      expect(vertexUrl(base, 'acme', 'global', 'gemini-2.5-pro', 'generateContent')).toBe(
        'https://proxy.example/v1/projects/acme/locations/global/publishers/google/models/gemini-2.5-pro:generateContent',
      );
    }
  });

  it('keeps a mapped model from escaping its path segment', () => {
    expect(vertexUrl('', 'acme', 'global', 'gemini/../../x?y', 'generateContent')).toBe(
      'https://aiplatform.googleapis.com/v1/projects/acme/locations/global/publishers/google/models/gemini%2F..%2F..%2Fx%3Fy:generateContent',
    );
  });
});

describe('publisherOf', () => {
  it('sends Claude models to Anthropic and every other model to Google', () => {
    expect(publisherOf('claude-haiku-4-5@20251001')).toBe('anthropic');
    expect(publisherOf('gemini-2.5-flash')).toBe('google');
  });
});

describe('isVertexRegion', () => {
  it('takes Google Cloud locations and refuses what could change the host', () => {
    for (const region of ['us-east5', 'europe-west1', 'asia-southeast1', 'global']) {
      expect(isVertexRegion(region)).toBe(true);
    }
    for (const region of ['', 'evil.com/x', 'us-east5.evil.com', 'US-EAST5', 5]) {
      expect(isVertexRegion(region)).toBe(false);
    }
  });
});
