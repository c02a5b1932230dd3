import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  movesChannel,
  type DraftAddress,
} from '../web/src/pages/admin/channels/channel-address.js';
import { errorCode, signedInUser, startConsole, type TestConsole } from './helpers.js';

describe("the channel form's key-again rule", () => {
  let server: TestConsole;
  let root: Awaited<ReturnType<typeof signedInUser>>['api'];
  let admin: Awaited<ReturnType<typeof signedInUser>>['api'];

  beforeAll(async () => {
    server = await startConsole();
    root = (await signedInUser(server, { role: 100 })).api;
    admin = (await signedInUser(server, { role: 10 })).api;
  });
  afterAll(() => server?.close());

  it('asks for the key exactly when channel.update would refuse the admin without it', async () => {
    const types = await admin.channel.types.query();
    const stored = {
      name: 'azure',
      type: 'azure' as const,
      key: 'sk-root-0123456789',
      baseUrl: 'https://r.openai.azure.com',
      models: ['gpt-4o'],
      config: { apiVersion: '2024-10-21' },
    };
    /** The form's address fields; the others (name, priority …) never need the key. */
    const draftOf = (change: Partial<DraftAddress>): DraftAddress => ({
      type: stored.type,
      baseUrl: stored.baseUrl,
      config: stored.config,
      ...change,
    });
    const drafts = [
      draftOf({}),
      draftOf({ baseUrl: 'https://r.openai.azure.com/' }),
      draftOf({ config: { apiVersion: ' 2024-10-21 ' } }),
      draftOf({ baseUrl: 'https://elsewhere.example' }),
      draftOf({ config: { apiVersion: '2025-01-01' } }),
      draftOf({ type: 'openai', config: {} }),
    ];
    const asked = [];
    const refused = [];
    for (const draft of drafts) {
      const { id } = await root.channel.create.mutate(stored);
      const channel = await admin.channel.get.query({ id });
      const spec = types.find((type) => type.type === draft.type);
      asked.push(movesChannel(channel, draft, spec?.configFields ?? []));
      const update = admin.channel.update.mutate({
        id,
        type: draft.type as typeof stored.type,
        baseUrl: draft.baseUrl.trim(),
        config: Object.fromEntries(
          Object.entries(draft.config).map(([name, value]) => [name, value.trim()]),
        ),
      });
      refused.push((await errorCode(update)) === 'FORBIDDEN');
    }
    expect(asked).toEqual([false, false, false, true, true, true]);
    expect(refused).toEqual(asked);
  });
});
