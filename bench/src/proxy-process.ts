import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stopChild } from './child-service.js';
import { freePort } from './free-port.js';
import { onCpu, SERVER_CPU } from './pinning.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SERVER = 'apps/proxy/dist/server.js';
const KEPT_OUTPUT_LINES = 40;

export interface ProxyProcess {
  url: string;
  pid: number;
  /** Lines the proxy printed (it logs warnings and errors only): a count, and the last few. */
  output(): { lines: number; tail: string[] };
  /** SIGTERM and wait for the exit, so that buffered billing writes are flushed. */
  stop(): Promise<{ code: number | null; signal: string | null }>;
}

/**
 * The real proxy as `npm start` runs it: its built server, its default configuration, only
 * the SQLite file and the port chosen (and loopback, as every load here stays on 127.0.0.1).
 */
export async function startProxy(options: {
  sqlitePath: string;
  /** Write a V8 CPU profile (.cpuprofile) of the whole run into this directory. */
  profileDir?: string;
}): Promise<ProxyProcess> {
  const port = await freePort();
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    SQLITE_PATH: options.sqlitePath,
    PROXY_PORT: String(port),
    HOST: '127.0.0.1',
  };
  const profile = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : [];
  const [command, args] = onCpu(SERVER_CPU, process.execPath, [...profile, SERVER]);
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let lines = 0;
  const tail: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line === '') continue;
      lines += 1;
      tail.push(line.length > 500 ? `${line.slice(0, 500)}…` : line);
      if (tail.length > KEPT_OUTPUT_LINES) tail.shift();
    }
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  // Never leave a proxy behind, whatever ends the bench.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      process.off('exit', killOnExit);
      resolve({ code, signal });
    }),
  );

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`proxy exited (${child.exitCode}) at start:\n${tail.join('\n')}`);
    }
    const healthy = await fetch(`${url}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) break;
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new Error(`proxy not healthy within 30 s:\n${tail.join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    pid: child.pid ?? 0,
    output: () => ({ lines, tail: [...tail] }),
    stop: async () => {
      await stopChild(child);
      return exited;
    },
  };
}
