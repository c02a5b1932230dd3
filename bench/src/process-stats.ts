import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

// utime and stime in /proc/<pid>/stat count clock ticks (USER_HZ, 100 on Linux almost always).
const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** User + system CPU time the process has used, ms; null where /proc is not there. */
export function cpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: the fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat(5) (utime, stime) are the 12th and 13th after the name.
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

function statusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** Highest resident set size since start (or since the last reset), MB. */
export function peakRssMb(pid: number): number | null {
  const kb = statusKb(pid, 'VmHWM');
  return kb === null ? null : kb / 1024;
}

export function rssMb(pid: number): number | null {
  const kb = statusKb(pid, 'VmRSS');
  return kb === null ? null : kb / 1024;
}

/** Restarts the peak (VmHWM) from the current RSS, so that each mode reports its own peak. */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Busy and total jiffies of one core since boot, from /proc/stat; null elsewhere. */
function coreTimes(cpu: number): { busy: number; total: number } | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8')
      .split('\n')
      .find((text) => text.startsWith(`cpu${cpu} `));
    if (!line) return null;
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal: idle and iowait are not busy.
    const total = fields.slice(0, 8).reduce((sum, value) => sum + value, 0);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/**
 * How busy a core is while `measure` runs (0–1): tells whether the server's core or the load
 * generator's core was the limit.
 */
export function coreMeter(cpu: number): () => number | null {
  const before = coreTimes(cpu);
  return () => {
    const after = coreTimes(cpu);
    if (!before || !after || after.total === before.total) return null;
    return (after.busy - before.busy) / (after.total - before.total);
  };
}
