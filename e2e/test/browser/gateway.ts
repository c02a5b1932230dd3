import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeUpstream, type FakeUpstream } from '@chat-api/providers/testing';
import { freePort, launchGateway, waitForHttp, type GatewayProcess } from '../gateway-process.js';

export interface BrowserGateway {
  consoleUrl: string;
  proxyPort: number;
  upstream: FakeUpstream;
  /** What the proxy and the console printed so far (for a failing test's report). */
  output(): string;
  close(): Promise<void>;
}

/** Waits for a URL to answer, or fails with the gateway's output if it ended first. */
async function ready(gateway: GatewayProcess, url: string): Promise<void> {
  const ended = gateway.exited.then((code) => {
    throw new Error(`the gateway exited (${code}) before ${url} answered:\n${gateway.output()}`);
  });
  await Promise.race([waitForHttp(url), ended]);
}

/**
 * `npm start`'s proxy and console over a fresh SQLite file, next to the fake upstream a channel
 * will point at. Only this upstream key is accepted, so a passing call proves the channel's key
 * travelled.
 */
export async function startBrowserGateway(options: {
  upstreamKey: string;
  reply: string;
}): Promise<BrowserGateway> {
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-api-browser-'));
  const upstream = await startFakeUpstream({ keys: [options.upstreamKey], reply: options.reply });
  const [proxyPort, consolePort] = [await freePort(), await freePort()];
  const consoleUrl = `http://127.0.0.1:${consolePort}`;
  const gateway = launchGateway({
    SQLITE_PATH: join(dataDir, 'chat-api.db'),
    PROXY_PORT: `${proxyPort}`,
    CONSOLE_PORT: `${consolePort}`,
    // One browser loads every page and asset from one address; the limits have tests of their own.
    GLOBAL_WEB_RATE_LIMIT: '100000',
    GLOBAL_API_RATE_LIMIT: '100000',
    // The browser runs in UTC too, so the dashboard's days match the console's.
    TZ: 'UTC',
  });
  const close = async () => {
    if (gateway.child.exitCode === null) gateway.child.kill('SIGTERM');
    await gateway.exited;
    await upstream.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await ready(gateway, `http://127.0.0.1:${proxyPort}/healthz`);
    await ready(gateway, `${consoleUrl}/`);
  } catch (error) {
    await close();
    throw error;
  }
  return { consoleUrl, proxyPort, upstream, output: gateway.output, close };
}
