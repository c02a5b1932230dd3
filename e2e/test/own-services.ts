import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './gateway-process.js';

/**
 * Redis and PostgreSQL servers of a test's own, on loopback, which it may stop and start
 * without disturbing the servers the other suites share (.ci/services.sh starts those).
 */
export interface OwnService {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
const asRoot = process.getuid?.() === 0;

async function waitForPort(port: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Redis without persistence: a restart comes back empty, as a cache node replaced would. */
export async function startOwnRedis(): Promise<OwnService> {
  const port = await freePort();
  let server: ChildProcess | undefined;
  const start = async () => {
    server = spawn(
      'redis-server',
      ['--bind', '127.0.0.1', '--port', `${port}`, '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    await waitForPort(port);
  };
  const stop = async () => {
    const running = server;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, start, stop };
}

export interface OwnPostgres extends OwnService {
  /** The server's log so far: errors such as "deadlock detected" are written there. */
  log(): string;
}

/** A PostgreSQL cluster in `dir` (run as the `postgres` system user when the test runs as root). */
export async function startOwnPostgres(dir: string): Promise<OwnPostgres> {
  const port = await freePort();
  const data = join(dir, 'data');
  const logFile = join(dir, 'postgres.log');
  mkdirSync(dir, { recursive: true });
  // Asynchronous: the test's own servers (a fake upstream, its clients) keep running meanwhile.
  const pg = async (tool: string, args: string[]) => {
    const command = asRoot ? 'runuser' : join(PG_BIN, tool);
    const commandArgs = asRoot ? ['-u', 'postgres', '--', join(PG_BIN, tool), ...args] : args;
    await promisify(execFile)(command, commandArgs);
  };
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(dir, uid, gid);
  }
  await pg('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync']);
  const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c max_connections=300`;
  const start = () => pg('pg_ctl', ['-D', data, '-w', '-l', logFile, '-o', options, 'start']);
  // Fast: open sessions are cut and their transactions rolled back, as in a database restart.
  const stop = () => pg('pg_ctl', ['-D', data, '-w', '-m', 'fast', 'stop']);
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop,
    log: () => readFileSync(logFile, 'utf8'),
  };
}
