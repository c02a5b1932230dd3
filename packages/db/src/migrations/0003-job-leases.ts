import { DataTypes, type QueryInterface } from 'sequelize';
import { TABLE_OPTIONS, type Migration } from './migration.js';

const bigint = () => ({ type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 });

/**
 * One row per periodic job of the master nodes (channel tests, balance updates): who runs it
 * now and until when (a lease, so several masters sharing the database run it once), and what
 * its last run did, for the console. Times in unix milliseconds: a short period (seconds) must
 * still tell whether a run is due.
 */
export const jobLeases: Migration = {
  name: '0003-job-leases',
  async up(qi: QueryInterface): Promise<void> {
    await qi.createTable(
      'job_leases',
      {
        name: { type: DataTypes.STRING(64), allowNull: false, primaryKey: true },
        holder: { type: DataTypes.STRING(191), allowNull: false, defaultValue: '' },
        lease_expires_ms: bigint(),
        interval_seconds: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        last_started_ms: bigint(),
        last_finished_ms: bigint(),
        last_duration_ms: bigint(),
        // MySQL before 8.0.13 refuses defaults on TEXT columns: NULL until a run has finished.
        last_summary: { type: DataTypes.TEXT, allowNull: true },
      },
      TABLE_OPTIONS,
    );
  },
};
