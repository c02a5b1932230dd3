import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTRPCClient, httpLink } from '@trpc/client';
import type { AppRouter } from '@chat-api/console';
import { startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import { freePort, launchGateway, waitForHttp, type GatewayProcess } from './gateway-process.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const REPLY = 'The gateway relayed this answer';
/** What the agents' working directory holds, for the fake model's tool call to read. */
const NOTE = 'the note says apricot';

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs an agent CLI installed from npm (e2e's devDependencies, hoisted to the root) with no
 * stdin, as a one-shot command would, killed after `timeoutMs`.
 */
function runAgentCli(
  name: string,
  args: string[],
  options: { cwd: string; env: Record<string, string>; timeoutMs?: number },
): Promise<CliRun> {
  const child = spawn(join(REPO_ROOT, 'node_modules', '.bin', name), args, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

/**
 * Coding agents that speak their vendor's own format, pointed at a started gateway whose only
 * channel is an OpenAI-format upstream: each one-shot prompt is converted both ways, streamed,
 * and billed to the key.
 */
describe('agent CLIs through the gateway', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-api-agents-'));
  const workDir = join(dataDir, 'work');
  const notePath = join(workDir, 'note.txt');
  let upstream: FakeUpstream;
  let gateway: GatewayProcess;
  let proxyUrl: string;
  let api: ReturnType<typeof createTRPCClient<AppRouter>>;
  let key: string;

  beforeAll(async () => {
    mkdirSync(workDir);
    writeFileSync(notePath, NOTE);
    // The fake model calls the first tool offered with these arguments, then answers its result.
    upstream = await startFakeUpstream({
      reply: REPLY,
      toolArguments: JSON.stringify({ file_path: notePath }),
    });
    const [proxyPort, consolePort] = [await freePort(), await freePort()];
    proxyUrl = `http://127.0.0.1:${proxyPort}`;
    gateway = launchGateway({
      SQLITE_PATH: join(dataDir, 'chat-api.db'),
      PROXY_PORT: `${proxyPort}`,
      CONSOLE_PORT: `${consolePort}`,
    });
    const consoleUrl = `http://127.0.0.1:${consolePort}`;
    await waitForHttp(`${consoleUrl}/`);
    await waitForHttp(`${proxyUrl}/healthz`);

    let cookie = '';
    api = createTRPCClient<AppRouter>({
      links: [
        httpLink({
          url: `${consoleUrl}/trpc`,
          headers: () => (cookie ? { cookie } : {}),
          fetch: async (url, init) => {
            const response = await fetch(url, init);
            cookie = response.headers.getSetCookie()[0]?.split(';')[0] ?? cookie;
            return response;
          },
        }),
      ],
    });
    await api.auth.login.mutate({ username: 'root', password: '123456' });
    await api.auth.changePassword.mutate({ oldPassword: '123456', newPassword: 'agents-pass' });
    await api.channel.create.mutate({
      name: 'openai upstream',
      type: 'openai',
      key: 'sk-upstream',
      baseUrl: upstream.url,
      models: ['claude-sonnet-4-5', 'gpt-5', 'gemini-2.5-pro'],
    });
    // A server that knows only chat completions: Responses clients reach it converted.
    await api.channel.create.mutate({
      name: 'chat-only upstream',
      type: 'openai-compatible',
      key: 'sk-upstream',
      baseUrl: upstream.url,
      models: ['gpt-5-codex'],
    });
    ({ key } = await api.token.create.mutate({ name: 'agents', remainQuota: 5_000_000 }));
  }, 60_000);

  afterAll(async () => {
    gateway?.child.kill('SIGTERM');
    await gateway?.exited;
    await upstream?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** The key's spend and the consume-log rows for a model, as the console shows them. */
  async function billedFor(model: string) {
    const [token] = (await api.token.list.query()).items.filter((t) => t.name === 'agents');
    const logs = await api.log.list.query({ model });
    return { usedQuota: token?.usedQuota ?? 0, logs: logs.items };
  }

  it('Claude Code (claude -p) runs a tool round trip and answers through POST /v1/messages', async () => {
    const before = await billedFor('claude-sonnet-4-5');
    const home = join(dataDir, 'claude-home');
    mkdirSync(home);
    const result = await runAgentCli(
      'claude',
      ['-p', 'Read note.txt and say hello', '--model', 'claude-sonnet-4-5', '--tools', 'Read'],
      {
        cwd: workDir,
        env: {
          HOME: home,
          ANTHROPIC_BASE_URL: proxyUrl,
          ANTHROPIC_API_KEY: key,
          CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
          DISABLE_AUTOUPDATER: '1',
        },
      },
    );
    expect(result, JSON.stringify(upstream.requests.map((r) => [r.url, r.body]))).toMatchObject({
      code: 0,
    });
    expect(result.stdout.trim()).toBe(REPLY);

    // Its Read call went out as an OpenAI tool call; the file's text came back as the tool's result.
    const calls = upstream.requests.filter((r) => r.url === '/v1/chat/completions');
    expect(calls[0]?.body).toMatchObject({ model: 'claude-sonnet-4-5', stream: true });
    const followUp = calls.at(-1)?.body as { messages: { role: string; content: unknown }[] };
    expect(followUp.messages.at(-1)).toMatchObject({ role: 'tool' });
    expect(JSON.stringify(followUp.messages.at(-1)?.content)).toContain(NOTE);
    // Both turns billed to the key (the proxy writes bills in batches, within a second).
    await vi.waitFor(async () => {
      const after = await billedFor('claude-sonnet-4-5');
      expect(after.logs.length).toBe(before.logs.length + calls.length);
      expect(after.usedQuota).toBeGreaterThan(before.usedQuota);
      // The log says which format the client spoke (`other` is shown to admins).
      expect(JSON.parse(after.logs[0]?.other ?? '{}')).toMatchObject({ clientFormat: 'claude' });
    }, 5_000);
  }, 90_000);

  it.each([
    { model: 'gpt-5', heardAt: '/v1/responses', how: 'passed through to an openai channel' },
    { model: 'gpt-5-codex', heardAt: '/v1/chat/completions', how: 'converted for a chat-only one' },
  ])(
    'Codex (codex exec) answers through POST /v1/responses, $how',
    async ({ model, heardAt }) => {
      const before = await billedFor(model);
      const home = join(dataDir, `codex-home-${model}`);
      mkdirSync(join(home, '.codex'), { recursive: true });
      writeFileSync(
        join(home, '.codex', 'config.toml'),
        [
          'model_provider = "gateway"',
          '[model_providers.gateway]',
          'name = "Chat API"',
          `base_url = "${proxyUrl}/v1"`,
          'env_key = "GATEWAY_KEY"',
          'wire_api = "responses"',
        ].join('\n'),
      );
      const result = await runAgentCli(
        'codex',
        ['exec', '--skip-git-repo-check', '-m', model, 'Say hello'],
        {
          cwd: workDir,
          env: { HOME: home, GATEWAY_KEY: key },
        },
      );
      expect(result, result.stderr).toMatchObject({ code: 0 });
      expect(result.stdout).toContain(REPLY);

      const calls = upstream.requests.filter(
        (r) => r.url === heardAt && (r.body as { model?: string }).model === model,
      );
      expect(calls[0]?.body).toMatchObject({ stream: true });
      await vi.waitFor(async () => {
        const after = await billedFor(model);
        expect(after.logs.length).toBe(before.logs.length + calls.length);
        expect(JSON.parse(after.logs[0]?.other ?? '{}')).toMatchObject({
          clientFormat: 'responses',
        });
      }, 5_000);
    },
    90_000,
  );

  it('Gemini CLI (gemini -p) answers through :streamGenerateContent', async () => {
    const before = await billedFor('gemini-2.5-pro');
    const home = join(dataDir, 'gemini-home');
    mkdirSync(join(home, '.gemini'), { recursive: true });
    writeFileSync(
      join(home, '.gemini', 'settings.json'),
      JSON.stringify({ security: { auth: { selectedType: 'gemini-api-key' } } }),
    );
    const result = await runAgentCli('gemini', ['-p', 'Say hello', '-m', 'gemini-2.5-pro'], {
      cwd: workDir,
      env: {
        HOME: home,
        GEMINI_CLI_TRUST_WORKSPACE: 'true',
        GOOGLE_GEMINI_BASE_URL: proxyUrl,
        GEMINI_API_KEY: key,
      },
    });
    expect(result, result.stderr).toMatchObject({ code: 0 });
    expect(result.stdout).toContain(REPLY);

    const calls = upstream.requests.filter(
      (r) =>
        r.url === '/v1/chat/completions' &&
        (r.body as { model?: string }).model === 'gemini-2.5-pro',
    );
    expect(calls.some((call) => (call.body as { stream?: boolean }).stream === true)).toBe(true);
    await vi.waitFor(async () => {
      const after = await billedFor('gemini-2.5-pro');
      expect(after.logs.length).toBe(before.logs.length + calls.length);
      expect(JSON.parse(after.logs[0]?.other ?? '{}')).toMatchObject({ clientFormat: 'gemini' });
    }, 5_000);
  }, 90_000);
});
