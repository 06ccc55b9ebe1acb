import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** Every provider event handled, unique per gateway and event id, so a webhook delivered twice acts once. */
export class PaymentEvent extends Model<InferAttributes<PaymentEvent>, InferCreationAttributes<PaymentEvent>> {
  declare id: CreationOptional<number>;
  declare gateway: string;
  declare event_id: string;
  declare group_id: number | null;
  declare action: string;
  declare amount: number | null;
  declare created_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof PaymentEvent {
    return PaymentEvent.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        gateway: { type: DataTypes.STRING(40), allowNull: false },
        event_id: { type: DataTypes.STRING(200), allowNull: false },
        group_id: { type: DataTypes.INTEGER, allowNull: true },
        action: { type: DataTypes.STRING(20), allowNull: false },
        amount: { type: DataTypes.INTEGER, allowNull: true },
        created_at: DataTypes.DATE,
      },
      { sequelize, tableName: 'payment_events', modelName: 'PaymentEvent', underscored: true, createdAt: 'created_at', updatedAt: false },
    );
  }
}
