import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/**
 * `pending`: to go out in the shop's next email; `off`: the person does not want follow emails;
 * `sent`: in an email (`digest_id`); `skipped`: email turned off, or shop unfollowed, before it went.
 */
export type EmailStatus = 'pending' | 'off' | 'sent' | 'skipped';

/** One person's in-app notification of one event; unique per (event, person), so a fan-out can never write it twice. */
export class Notification extends Model<InferAttributes<Notification>, InferCreationAttributes<Notification>> {
  declare id: CreationOptional<number>;
  declare event_id: number;
  declare user_id: number;
  declare shop_id: number;
  declare email_status: EmailStatus;
  declare digest_id: CreationOptional<number | null>;
  declare read_at: CreationOptional<Date | null>;
  declare created_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof Notification {
    return Notification.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        event_id: { type: DataTypes.INTEGER, allowNull: false },
        user_id: { type: DataTypes.INTEGER, allowNull: false },
        shop_id: { type: DataTypes.INTEGER, allowNull: false },
        email_status: { type: DataTypes.STRING(10), allowNull: false },
        digest_id: { type: DataTypes.INTEGER, allowNull: true },
        read_at: { type: DataTypes.DATE, allowNull: true },
        created_at: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
      },
      {
        sequelize,
        tableName: 'follows_notifications',
        modelName: 'FollowsNotification',
        timestamps: false,
        indexes: [{ unique: true, fields: ['event_id', 'user_id'] }, { fields: ['user_id', 'read_at'] }, { fields: ['shop_id', 'email_status'] }],
      },
    );
  }
}
