import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

export class OrderStatusHistory extends Model<InferAttributes<OrderStatusHistory>, InferCreationAttributes<OrderStatusHistory>> {
  declare id: CreationOptional<number>;
  declare order_id: number;
  declare from_status: string | null;
  declare to_status: string;
  declare note: CreationOptional<string>;
  declare actor_id: number | null;
  declare created_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof OrderStatusHistory {
    return OrderStatusHistory.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        order_id: { type: DataTypes.INTEGER, allowNull: false },
        from_status: { type: DataTypes.STRING(24), allowNull: true },
        to_status: { type: DataTypes.STRING(24), allowNull: false },
        note: { type: DataTypes.STRING(500), allowNull: false, defaultValue: '' },
        actor_id: { type: DataTypes.INTEGER, allowNull: true },
        created_at: DataTypes.DATE,
      },
      { sequelize, tableName: 'order_status_history', modelName: 'OrderStatusHistory', underscored: true, createdAt: 'created_at', updatedAt: false },
    );
  }
}
