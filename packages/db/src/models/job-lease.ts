import {
  DataTypes,
  type CreationOptional,
  type Model,
  type InferAttributes,
  type InferCreationAttributes,
  type ModelStatic,
  type Sequelize,
} from 'sequelize';

/** A periodic job's lease and its last run (0003-job-leases); times in unix milliseconds. */
export interface JobLeaseModel extends Model<
  InferAttributes<JobLeaseModel>,
  InferCreationAttributes<JobLeaseModel>
> {
  name: string;
  /** The run holding the lease; '' when none does. */
  holder: CreationOptional<string>;
  leaseExpiresMs: CreationOptional<number>;
  intervalSeconds: CreationOptional<number>;
  lastStartedMs: CreationOptional<number>;
  lastFinishedMs: CreationOptional<number>;
  lastDurationMs: CreationOptional<number>;
  /** JSON of the last finished run's JobSummary. */
  lastSummary: CreationOptional<string | null>;
}

export function initJobLease(sequelize: Sequelize): ModelStatic<JobLeaseModel> {
  const bigint = () => ({ type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 });
  return sequelize.define<JobLeaseModel>(
    'job_leases',
    {
      name: { type: DataTypes.STRING(64), primaryKey: true },
      holder: { type: DataTypes.STRING(191), allowNull: false, defaultValue: '' },
      leaseExpiresMs: bigint(),
      intervalSeconds: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      lastStartedMs: bigint(),
      lastFinishedMs: bigint(),
      lastDurationMs: bigint(),
      lastSummary: { type: DataTypes.TEXT, allowNull: true },
    },
    { tableName: 'job_leases' },
  );
}
