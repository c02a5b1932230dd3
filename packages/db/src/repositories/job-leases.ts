import { Op } from 'sequelize';
import type { Models } from '../models/index.js';
import type { JobLeaseModel } from '../models/job-lease.js';

/**
 * Periodic jobs of the master nodes, run once however many masters share the database. A run
 * needs the job's lease: one conditional UPDATE that only one node can win, taken only when the
 * job is due (its interval passed since the last run finished) and nobody holds an unexpired
 * lease. The holder renews it while the run goes on; a dead holder's lease lapses. Times are
 * unix milliseconds from the callers' clocks, so masters' clocks must agree to well within a
 * lease (NTP).
 */

/** What a run did, for the console. */
export interface JobSummary {
  /** The job's own tallies, e.g. channels tested, balances updated. */
  counts: Record<string, number>;
  /** Why the run stopped before its end ('shutdown', 'lease lost'). */
  interrupted?: string;
  /** What ended the run early (e.g. the database), free of secrets. */
  error?: string;
}

export interface JobLeaseState {
  name: string;
  /** The run holding the lease; '' when none does. */
  holder: string;
  leaseExpiresMs: number;
  /** How often the masters run it, as the last one to start noted (0 = not scheduled). */
  intervalSeconds: number;
  /** The current or last run's start; 0 = never. */
  lastStartedMs: number;
  lastFinishedMs: number;
  lastDurationMs: number;
  /** The last finished run's summary; null before the first. */
  lastSummary: JobSummary | null;
}

export interface LeaseClaim {
  name: string;
  /** Unique per run (node and run), so a node cannot mistake another run's lease for its own. */
  holder: string;
  now: number;
  leaseMs: number;
}

/** When the job may start next: its interval after the last finish, once no lease is held. */
export function dueAtMs(state: JobLeaseState, intervalSeconds: number): number {
  const leaseFree = state.leaseExpiresMs > 0 ? state.leaseExpiresMs + 1 : 0;
  return Math.max(state.lastFinishedMs + intervalSeconds * 1000, leaseFree);
}

function parseSummary(json: string | null): JobSummary | null {
  if (!json) return null;
  try {
    return JSON.parse(json) as JobSummary;
  } catch {
    return null;
  }
}

function toState(row: JobLeaseModel): JobLeaseState {
  return {
    name: row.name,
    holder: row.holder,
    leaseExpiresMs: Number(row.leaseExpiresMs),
    intervalSeconds: Number(row.intervalSeconds),
    lastStartedMs: Number(row.lastStartedMs),
    lastFinishedMs: Number(row.lastFinishedMs),
    lastDurationMs: Number(row.lastDurationMs),
    lastSummary: parseSummary(row.lastSummary),
  };
}

export function jobLeasesRepository({ JobLease }: Models) {
  /** INSERT OR IGNORE / INSERT IGNORE / ON CONFLICT DO NOTHING: the row exists afterwards. */
  const ensure = async (name: string, intervalSeconds = 0) => {
    await JobLease.bulkCreate([{ name, intervalSeconds }], { ignoreDuplicates: true });
  };

  return {
    /** Notes how often this node runs the job (0 = not at all), for the console to show. */
    async register(name: string, intervalSeconds: number): Promise<void> {
      await ensure(name, intervalSeconds);
      await JobLease.update({ intervalSeconds }, { where: { name } });
    },

    /** Starts a run when the job is due and its lease is free or lapsed; true for one caller. */
    async acquire(claim: LeaseClaim & { intervalSeconds: number }): Promise<boolean> {
      const { name, holder, now, leaseMs, intervalSeconds } = claim;
      await ensure(name, intervalSeconds);
      const [won] = await JobLease.update(
        { holder, leaseExpiresMs: now + leaseMs, lastStartedMs: now, intervalSeconds },
        {
          where: {
            name,
            leaseExpiresMs: { [Op.lt]: now },
            lastFinishedMs: { [Op.lte]: now - intervalSeconds * 1000 },
          },
        },
      );
      return won === 1;
    },

    /** Extends the holder's lease; false once another run has taken it (stop working then). */
    async renew({ name, holder, now, leaseMs }: LeaseClaim): Promise<boolean> {
      const [kept] = await JobLease.update(
        { leaseExpiresMs: now + leaseMs },
        { where: { name, holder } },
      );
      return kept === 1;
    },

    /** Records the run and frees the lease; false (nothing written) when it was lost. */
    async finish(run: {
      name: string;
      holder: string;
      now: number;
      durationMs: number;
      summary: JobSummary;
    }): Promise<boolean> {
      const [done] = await JobLease.update(
        {
          holder: '',
          leaseExpiresMs: 0,
          lastFinishedMs: run.now,
          lastDurationMs: Math.max(0, Math.round(run.durationMs)),
          lastSummary: JSON.stringify(run.summary),
        },
        { where: { name: run.name, holder: run.holder } },
      );
      return done === 1;
    },

    async get(name: string): Promise<JobLeaseState | null> {
      const row = await JobLease.findByPk(name);
      return row ? toState(row) : null;
    },

    async list(): Promise<JobLeaseState[]> {
      return (await JobLease.findAll({ order: [['name', 'ASC']] })).map(toState);
    },
  };
}

export type JobLeasesRepository = ReturnType<typeof jobLeasesRepository>;
