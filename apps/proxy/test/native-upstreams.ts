import type { ChannelInput } from '@chat-api/db';
import type { FakeUpstream } from '@chat-api/providers/testing';

/** How a test reaches one kind of upstream through the fake: the channel that points at it. */
export interface NativeUpstream {
  label: string;
  channel(upstream: FakeUpstream): Promise<Partial<ChannelInput> & { baseUrl: string }>;
}

const UPSTREAM_KEY = 'provider-key-0123456789abcdef';

/**
 * Every upstream format the relay speaks, OpenAI's first (the reference the others are compared
 * with). Each channel serves the client's `gpt-4o-mini` under the provider's own model name.
 */
export const NATIVE_UPSTREAMS: NativeUpstream[] = [
  {
    label: 'OpenAI',
    channel: (upstream) =>
      Promise.resolve({ type: 'openai', baseUrl: upstream.url, key: UPSTREAM_KEY }),
  },
];
