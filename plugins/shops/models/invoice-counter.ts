import { DataTypes, Model, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** The next number of a shop's invoices (or credit notes): claimed by a conditional update in the payment's transaction. */
export class InvoiceCounter extends Model<InferAttributes<InvoiceCounter>, InferCreationAttributes<InvoiceCounter>> {
  declare shop_id: number;
  declare kind: string;
  declare next: number;

  static initModel(sequelize: Sequelize): typeof InvoiceCounter {
    return InvoiceCounter.init(
      {
        shop_id: { type: DataTypes.INTEGER, allowNull: false, primaryKey: true },
        kind: { type: DataTypes.STRING(12), allowNull: false, primaryKey: true },
        next: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
      },
      { sequelize, tableName: 'invoice_counters', modelName: 'InvoiceCounter', timestamps: false },
    );
  }
}
