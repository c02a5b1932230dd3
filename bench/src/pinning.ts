import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/** The proxy and the baseline get core 0; the bench driver, the upstream and the load, core 1. */
export const SERVER_CPU = 0;
export const LOAD_CPU = 1;

function canPin(): boolean {
  if (availableParallelism() < 2) return false;
  const probe = (cpu: number) => spawnSync('taskset', ['-c', String(cpu), 'true']).status === 0;
  return probe(SERVER_CPU) && probe(LOAD_CPU);
}

export const pinningAvailable = canPin();

/** `command args` run on one core when taskset can pin, unchanged otherwise. */
export function onCpu(cpu: number, command: string, args: string[]): [string, string[]] {
  return pinningAvailable ? ['taskset', ['-c', String(cpu), command, ...args]] : [command, args];
}

/**
 * Moves this process (every thread) to one core; children spawned afterwards inherit it,
 * so the fake upstream and the load generator share the core the servers do not use.
 */
export function pinSelf(cpu: number): boolean {
  if (!pinningAvailable) return false;
  return spawnSync('taskset', ['-a', '-p', '-c', String(cpu), String(process.pid)]).status === 0;
}
