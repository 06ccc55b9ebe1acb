import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** Every provider event handled, unique per gateway and event id, so a webhook delivered twice acts once. */
export class PaymentEvent extends Model<InferAttributes<PaymentEvent>, InferCreationAttributes<PaymentEvent>> {
  declare id: CreationOptional<number>;
  declare gateway: string;
  declare event_id: string;
  declare group_id: number | null;
  declare action: string;
  declare amount: number | null;
  declare currency: CreationOptional<string | null>;
  declare order_id: CreationOptional<number | null>;
  /** The provider's reference of what the event is about (payment, refund or account). */
  declare provider_ref: CreationOptional<string | null>;
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
        currency: { type: DataTypes.STRING(3), allowNull: true },
        order_id: { type: DataTypes.INTEGER, allowNull: true },
        provider_ref: { type: DataTypes.STRING(200), allowNull: true },
        created_at: DataTypes.DATE,
      },
      {
        sequelize,
        tableName: 'payment_events',
        modelName: 'PaymentEvent',
        underscored: true,
        createdAt: 'created_at',
        updatedAt: false,
        // An event is applied once: the migration's unique index, which the webhook handling relies on.
        indexes: [{ unique: true, fields: ['gateway', 'event_id'] }],
      },
    );
  }
}
