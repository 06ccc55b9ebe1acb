import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import '@agora/core';

/** A message on an order between its buyer and the shop's sellers; each is emailed to the other side. */
export class OrderNote extends Model<InferAttributes<OrderNote>, InferCreationAttributes<OrderNote>> {
  declare id: CreationOptional<number>;
  declare order_id: number;
  declare author_id: number | null;
  declare author_side: 'buyer' | 'seller' | 'admin';
  declare body: string;
  declare created_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof OrderNote {
    return OrderNote.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        order_id: { type: DataTypes.INTEGER, allowNull: false },
        author_id: { type: DataTypes.INTEGER, allowNull: true },
        author_side: { type: DataTypes.STRING(10), allowNull: false },
        body: { type: DataTypes.TEXT, allowNull: false, personal: true },
        created_at: DataTypes.DATE,
      },
      { sequelize, tableName: 'order_notes', modelName: 'OrderNote', underscored: true, createdAt: 'created_at', updatedAt: false },
    );
  }
}
