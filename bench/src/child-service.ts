import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { onCpu } from './pinning.js';

export interface ChildService {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const SERVE = fileURLToPath(new URL('./serve.ts', import.meta.url));
const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url));

/** Starts one of serve.ts's services in its own process, on `cpu` when given. */
export async function startChildService(options: {
  role: 'upstream' | 'baseline';
  args?: string[];
  cpu?: number;
}): Promise<ChildService> {
  const nodeArgs = ['--import', 'tsx', SERVE, options.role, ...(options.args ?? [])];
  const [command, args] =
    options.cpu === undefined
      ? [process.execPath, nodeArgs]
      : onCpu(options.cpu, process.execPath, nodeArgs);
  const child = spawn(command, args, {
    cwd: BENCH_DIR,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${options.role}: no port within 20 s`)),
      20_000,
    );
    child.once('message', (message: { port: number }) => {
      clearTimeout(timer);
      resolve(message.port);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${options.role} exited (${code}) before listening`));
    });
  });
  return { url: `http://127.0.0.1:${port}`, pid: child.pid ?? 0, stop: () => stopChild(child) };
}

/** SIGTERM, then wait for the exit (SIGKILL after 15 s). */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
