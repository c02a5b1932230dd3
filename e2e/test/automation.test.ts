import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserClient } from './console-client.js';
import { freePort, launchGateway, waitForHttp, type GatewayProcess } from './gateway-process.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('examples/automation.ts against a started gateway', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-api-automation-'));
  let gateway: GatewayProcess;
  let consoleUrl: string;

  beforeAll(async () => {
    const [proxyPort, consolePort] = [await freePort(), await freePort()];
    consoleUrl = `http://127.0.0.1:${consolePort}`;
    gateway = launchGateway({
      SQLITE_PATH: join(dataDir, 'chat-api.db'),
      PROXY_PORT: `${proxyPort}`,
      CONSOLE_PORT: `${consolePort}`,
    });
    await waitForHttp(`${consoleUrl}/`);
  });
  afterAll(async () => {
    gateway?.child.kill('SIGTERM');
    await gateway?.exited;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates a channel and an API key with a Bearer access token', async () => {
    const api = browserClient(consoleUrl);
    await api.auth.login.mutate({ username: 'root', password: '123456' });
    await api.auth.changePassword.mutate({ oldPassword: '123456', newPassword: 'automation-pass' });
    const { accessToken } = await api.auth.createAccessToken.mutate();

    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'examples/automation.ts'],
      {
        cwd: REPO_ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          CHAT_API_URL: consoleUrl,
          CHAT_API_ACCESS_TOKEN: accessToken,
          UPSTREAM_KEY: 'sk-upstream-example',
          UPSTREAM_MODELS: 'gpt-4o-mini,gpt-4o',
        },
      },
    );
    expect(stdout).toContain('signed in as root');
    const key = /created API key \d+: (sk-[A-Za-z0-9]{48})$/m.exec(stdout)?.[1];
    expect(key).toBeDefined();

    const channels = await api.channel.list.query();
    expect(JSON.stringify(channels)).toContain('gpt-4o-mini');
    expect(JSON.stringify(channels)).not.toContain('sk-upstream-example');
    const tokens = await api.token.list.query();
    expect(JSON.stringify(tokens)).toContain('automation');
  });
});
