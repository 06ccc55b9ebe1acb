import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

export class ShippingMethod extends Model<InferAttributes<ShippingMethod>, InferCreationAttributes<ShippingMethod>> {
  declare id: CreationOptional<number>;
  declare shop_id: number;
  declare name: string;
  declare price: number;
  /** Orders of at least this subtotal ship free; null for never. */
  declare free_over: number | null;
  /** ISO country codes, comma-separated; empty means everywhere. */
  declare countries: CreationOptional<string>;
  declare position: CreationOptional<number>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  countryList(): string[] {
    return this.countries ? this.countries.split(',').filter(Boolean) : [];
  }

  shipsTo(country: string): boolean {
    const list = this.countryList();
    return list.length === 0 || list.includes(country.toUpperCase());
  }

  costFor(subtotal: number): number {
    return this.free_over !== null && subtotal >= this.free_over ? 0 : this.price;
  }

  static initModel(sequelize: Sequelize): typeof ShippingMethod {
    return ShippingMethod.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        shop_id: { type: DataTypes.INTEGER, allowNull: false },
        name: { type: DataTypes.STRING(100), allowNull: false },
        price: { type: DataTypes.INTEGER, allowNull: false },
        free_over: { type: DataTypes.INTEGER, allowNull: true },
        countries: { type: DataTypes.STRING(1000), allowNull: false, defaultValue: '' },
        position: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        created_at: DataTypes.DATE,
        updated_at: DataTypes.DATE,
      },
      { sequelize, tableName: 'shipping_methods', modelName: 'ShippingMethod', underscored: true, createdAt: 'created_at', updatedAt: 'updated_at' },
    );
  }
}
