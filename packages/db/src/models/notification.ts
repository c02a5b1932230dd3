import {
  DataTypes,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Model,
  type ModelStatic,
  type Sequelize,
} from 'sequelize';

/** Where an outbox row stands (0004-notifications). */
export const NotificationStatus = {
  pending: 'pending',
  sent: 'sent',
  /** Nowhere to send it (no SMTP, no webhook, no address): done, never retried. */
  skipped: 'skipped',
  /** Every attempt failed; last_error says why. */
  failed: 'failed',
} as const;
export type NotificationStatus = (typeof NotificationStatus)[keyof typeof NotificationStatus];

/** An event waiting in the notification outbox, or sent; times in unix seconds. */
export interface NotificationModel extends Model<
  InferAttributes<NotificationModel>,
  InferCreationAttributes<NotificationModel>
> {
  id: CreationOptional<number>;
  event: string;
  /** JSON of the event's data. */
  payload: string;
  createdAt: number;
  status: CreationOptional<NotificationStatus>;
  attempts: CreationOptional<number>;
  nextAttemptAt: CreationOptional<number>;
  /** Comma-separated targets that have it already. */
  delivered: CreationOptional<string>;
  sentAt: CreationOptional<number>;
  lastError: CreationOptional<string | null>;
}

export function initNotification(sequelize: Sequelize): ModelStatic<NotificationModel> {
  const bigint = () => ({ type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 });
  return sequelize.define<NotificationModel>(
    'notifications',
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      event: { type: DataTypes.STRING(64), allowNull: false },
      payload: { type: DataTypes.TEXT, allowNull: false },
      createdAt: bigint(),
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'pending' },
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      nextAttemptAt: bigint(),
      delivered: { type: DataTypes.STRING(64), allowNull: false, defaultValue: '' },
      sentAt: bigint(),
      lastError: { type: DataTypes.TEXT, allowNull: true },
    },
    { tableName: 'notifications' },
  );
}
