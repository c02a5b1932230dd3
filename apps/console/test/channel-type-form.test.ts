import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelConfigSchema } from '@chat-api/providers/admin';
import {
  bedrockKeyProblem,
  keyToSend,
  readServiceAccountKey,
} from '../web/src/pages/admin/channels/channel-keys.js';
import { settingProblem } from '../web/src/pages/admin/channels/channel-settings.js';
import { errorCode, signedInUser, startConsole, type TestConsole } from './helpers.js';

/** A service account key file as Google hands it out: pretty-printed JSON over many lines. */
function serviceAccountFile(): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return JSON.stringify(
    {
      type: 'service_account',
      project_id: 'acme-prod-123',
      private_key_id: 'a1b2c3',
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      client_email: 'gateway@acme-prod-123.iam.gserviceaccount.com',
      token_uri: 'https://oauth2.googleapis.com/token',
    },
    null,
    2,
  );
}

describe("the channel form's settings check", () => {
  it('accepts and refuses exactly what channel.create does, for every type with settings', () => {
    const values = [
      'us-east5',
      'global',
      ' europe-west1 ',
      'acme-prod-123',
      'my_project.v2',
      '2024-10-21',
      '2025-01-01-preview',
      '',
      '   ',
      'us east5',
      'us-east5/../x',
      'región',
      'a'.repeat(64),
      'a'.repeat(65),
    ];
    for (const [type, names] of [
      ['azure', ['apiVersion']],
      ['vertex-ai', ['project', 'region']],
      ['aws-bedrock', ['region']],
    ] as const) {
      const schema = channelConfigSchema(type);
      expect(Object.keys(schema.shape).sort()).toEqual([...names].sort());
      for (const name of names) {
        for (const value of values) {
          const others = Object.fromEntries(names.map((other) => [other, 'valid-1']));
          const server = schema.safeParse({ ...others, [name]: value }).success;
          expect(settingProblem(name, value) === undefined, `${type}.${name} = "${value}"`).toBe(
            server,
          );
        }
      }
    }
  });
});

describe("the channel form's key checks", () => {
  it('sends a pasted service account key file as one line that reads back the same', () => {
    const file = serviceAccountFile();
    expect(file.split('\n').length).toBeGreaterThan(5);
    const sent = keyToSend('vertex-ai', file);
    expect(sent).not.toMatch(/[\r\n]/);
    expect(JSON.parse(sent)).toEqual(JSON.parse(file));
    // Other types' keys go as typed (one channel per line).
    expect(keyToSend('openai', 'sk-a\nsk-b')).toBe('sk-a\nsk-b');
  });

  it('tells a service account key from other JSON and from text', () => {
    const file = JSON.parse(serviceAccountFile()) as Record<string, unknown>;
    expect(readServiceAccountKey('AIzaSyD-not-a-file')).toEqual({ problem: 'json' });
    expect(readServiceAccountKey('["service_account"]')).toEqual({ problem: 'json' });
    expect(readServiceAccountKey(JSON.stringify({ ...file, type: 'authorized_user' }))).toEqual({
      problem: 'notServiceAccount',
    });
    expect(readServiceAccountKey(JSON.stringify({ ...file, private_key: 'secret' }))).toEqual({
      problem: 'notServiceAccount',
    });
    const { client_email: _email, ...noEmail } = file;
    expect(readServiceAccountKey(JSON.stringify(noEmail))).toEqual({
      problem: 'notServiceAccount',
    });
  });

  it('reads AWS keys as accessKeyId|secretAccessKey[|sessionToken]', () => {
    expect(bedrockKeyProblem('AKIAIOSFODNN7EXAMPLE|wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')).toBe(
      undefined,
    );
    expect(
      bedrockKeyProblem(' ASIAIOSFODNN7EXAMPLE | wJalrXUtnFEMI/K7MDENG | FwoGZXIvYXdzEB '),
    ).toBe(undefined);
    expect(bedrockKeyProblem('AKIAIOSFODNN7EXAMPLE')).toBe('parts');
    expect(bedrockKeyProblem('a|b|c|d')).toBe('parts');
    expect(bedrockKeyProblem('akiaiosfodnn7example|secret')).toBe('accessKeyId');
    expect(bedrockKeyProblem('AKIASHORT|secret')).toBe('accessKeyId');
    expect(bedrockKeyProblem('AKIAIOSFODNN7EXAMPLE|')).toBe('secretAccessKey');
    expect(bedrockKeyProblem('AKIAIOSFODNN7EXAMPLE|sec ret')).toBe('secretAccessKey');
    expect(bedrockKeyProblem('AKIAIOSFODNN7EXAMPLE|secret|')).toBe('sessionToken');
  });
});

describe('a Vertex AI channel saved as the form sends it', () => {
  let server: TestConsole;
  let admin: Awaited<ReturnType<typeof signedInUser>>['api'];

  beforeAll(async () => {
    server = await startConsole();
    admin = (await signedInUser(server, { role: 10 })).api;
  });
  afterAll(() => server?.close());

  it('is one channel holding the whole key file, its project and its region', async () => {
    const file = serviceAccountFile();
    const { ids } = await admin.channel.create.mutate({
      name: 'vertex',
      type: 'vertex-ai',
      key: keyToSend('vertex-ai', file),
      models: ['claude-opus-5-5'],
      config: { project: 'acme-prod-123', region: 'us-east5' },
    });
    expect(ids).toHaveLength(1);
    const stored = await server.db.repos.channels.getWithKey(ids[0]!);
    expect(stored?.config).toEqual({ project: 'acme-prod-123', region: 'us-east5' });
    expect(JSON.parse(stored?.key ?? '')).toEqual(JSON.parse(file));

    // A new key file replaces the old one on edit, also sent on one line.
    const next = serviceAccountFile();
    await admin.channel.update.mutate({ id: ids[0]!, key: keyToSend('vertex-ai', next) });
    const updated = await server.db.repos.channels.getWithKey(ids[0]!);
    expect(JSON.parse(updated?.key ?? '')).toEqual(JSON.parse(next));
  });

  it('is refused without the region the form asks for', async () => {
    const create = admin.channel.create.mutate({
      name: 'vertex without region',
      type: 'vertex-ai',
      key: keyToSend('vertex-ai', serviceAccountFile()),
      models: ['gemini-3.5-flash'],
      config: { project: 'acme-prod-123' },
    });
    expect(await errorCode(create)).toBe('BAD_REQUEST');
    expect(settingProblem('region', '')).toBe('required');
  });
});
