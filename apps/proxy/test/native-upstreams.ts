import type { ChannelInput } from '@chat-api/db';
import { generateKeyPairSync } from 'node:crypto';
import {
  configureFakeBedrock,
  configureFakeVertex,
  type FakeUpstream,
} from '@chat-api/providers/testing';

/** How a test reaches one kind of upstream through the fake: the channel that points at it. */
export interface NativeUpstream {
  label: string;
  /** Where the fake hears a chat in this provider's wire format (the start of its path). */
  chatPath: string;
  /** The provider bills writes to its prompt cache apart (Claude), not only reads. */
  billsCacheWrites: boolean;
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
    chatPath: '/v1/chat/completions',
    billsCacheWrites: false,
    channel: (upstream) =>
      Promise.resolve({ type: 'openai', baseUrl: upstream.url, key: UPSTREAM_KEY }),
  },
  {
    label: 'Anthropic',
    chatPath: '/v1/messages',
    billsCacheWrites: true,
    channel: (upstream) =>
      Promise.resolve({
        type: 'anthropic',
        baseUrl: upstream.url,
        key: UPSTREAM_KEY,
        modelMapping: { 'gpt-4o-mini': 'claude-sonnet-4-5' },
      }),
  },
  {
    label: 'Gemini',
    chatPath: '/v1beta/models/gemini-2.5-flash:',
    billsCacheWrites: false,
    channel: (upstream) =>
      Promise.resolve({
        type: 'gemini',
        baseUrl: upstream.url,
        key: UPSTREAM_KEY,
        modelMapping: { 'gpt-4o-mini': 'gemini-2.5-flash' },
      }),
  },
  {
    label: 'AWS Bedrock',
    chatPath: '/model/anthropic.claude-sonnet-4-5-20250929-v1%3A0/',
    billsCacheWrites: true,
    channel: (upstream) => {
      const account = {
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        region: 'us-west-2',
      };
      configureFakeBedrock(upstream, account);
      return Promise.resolve({
        type: 'aws-bedrock',
        baseUrl: upstream.url,
        key: `${account.accessKeyId}|${account.secretAccessKey}`,
        config: { region: account.region },
        modelMapping: { 'gpt-4o-mini': 'anthropic.claude-sonnet-4-5-20250929-v1:0' },
      });
    },
  },
  ...(['claude-sonnet-4-5@20250929', 'gemini-2.5-flash'] as const).map((model): NativeUpstream => ({
    label: `Vertex AI (${model})`,
    chatPath: `/v1/projects/gateway-test/locations/us-east5/publishers/${model.startsWith('claude') ? 'anthropic' : 'google'}/models/${model}:`,
    billsCacheWrites: model.startsWith('claude'),
    channel: (upstream) => {
      // A service account made for this run: no private key lives in the repository.
      const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const clientEmail = 'gateway@gateway-test.iam.gserviceaccount.com';
      configureFakeVertex(upstream, {
        clientEmail,
        publicKey: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        project: 'gateway-test',
        region: 'us-east5',
      });
      const keyFile = {
        type: 'service_account',
        client_email: clientEmail,
        private_key: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        token_uri: `${upstream.url}/token`,
      };
      return Promise.resolve({
        type: 'vertex-ai',
        baseUrl: upstream.url,
        key: JSON.stringify(keyFile),
        config: { project: 'gateway-test', region: 'us-east5' },
        modelMapping: { 'gpt-4o-mini': model },
      });
    },
  })),
];
