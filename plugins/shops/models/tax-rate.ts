import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** The tax classes a product (and shipping) may have; a class without a rate for a country is taxed at 0 there. */
export const TAX_CLASSES = ['standard', 'reduced', 'super-reduced', 'zero'] as const;
export type TaxClass = (typeof TAX_CLASSES)[number];
export const TAX_CLASS_LABELS: Readonly<Record<TaxClass, string>> = { standard: 'Standard', reduced: 'Reduced', 'super-reduced': 'Super-reduced', zero: 'Zero' };

/** The rate of one tax class in one country, edited by the admin at /admin/tax. */
export class TaxRate extends Model<InferAttributes<TaxRate>, InferCreationAttributes<TaxRate>> {
  declare id: CreationOptional<number>;
  declare country: string;
  declare tax_class: string;
  /** Percent × 100: 2000 = 20%, 550 = 5.5%. */
  declare rate: number;
  declare label: CreationOptional<string>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof TaxRate {
    return TaxRate.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        country: { type: DataTypes.STRING(2), allowNull: false },
        tax_class: { type: DataTypes.STRING(20), allowNull: false },
        rate: { type: DataTypes.INTEGER, allowNull: false },
        label: { type: DataTypes.STRING(40), allowNull: false, defaultValue: 'VAT' },
        created_at: DataTypes.DATE,
        updated_at: DataTypes.DATE,
      },
      { sequelize, tableName: 'tax_rates', modelName: 'TaxRate', indexes: [{ name: 'tax_rates_country_class', unique: true, fields: ['country', 'tax_class'] }], underscored: true, createdAt: 'created_at', updatedAt: 'updated_at' },
    );
  }
}
