import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

export class Refund extends Model<InferAttributes<Refund>, InferCreationAttributes<Refund>> {
  declare id: CreationOptional<number>;
  declare order_id: number;
  declare amount: number;
  /** The same key twice means the same refund: a retried request never refunds twice. */
  declare idempotency_key: string;
  declare provider_ref: CreationOptional<string | null>;
  declare reason: CreationOptional<string>;
  declare created_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof Refund {
    return Refund.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        order_id: { type: DataTypes.INTEGER, allowNull: false },
        amount: { type: DataTypes.INTEGER, allowNull: false },
        idempotency_key: { type: DataTypes.STRING(100), allowNull: false, unique: true },
        provider_ref: { type: DataTypes.STRING(200), allowNull: true },
        reason: { type: DataTypes.STRING(500), allowNull: false, defaultValue: '' },
        created_at: DataTypes.DATE,
      },
      { sequelize, tableName: 'refunds', modelName: 'Refund', underscored: true, createdAt: 'created_at', updatedAt: false },
    );
  }
}
