import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { encryptedAttribute } from '@agora/core';

/** A shipping address a buyer saved at checkout, offered again next time. */
export class Address extends Model<InferAttributes<Address>, InferCreationAttributes<Address>> {
  declare id: CreationOptional<number>;
  declare user_id: number;
  declare name: string;
  declare line1: string;
  declare line2: CreationOptional<string>;
  declare city: string;
  declare postcode: string;
  declare country: string;
  declare phone: CreationOptional<string>;
  /** The address checkout offers first; at most one per person (set through the account's address book). */
  declare is_default: CreationOptional<boolean>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof Address {
    return Address.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        user_id: { type: DataTypes.INTEGER, allowNull: false },
        name: { type: DataTypes.STRING(200), allowNull: false, personal: true },
        // Street, town, postcode and phone are encrypted at rest (core's encryptedAttribute): never in a SQL filter.
        line1: encryptedAttribute({ allowNull: false, personal: true }),
        line2: encryptedAttribute({ allowNull: false, defaultValue: '', personal: true }),
        city: encryptedAttribute({ allowNull: false, personal: true }),
        postcode: encryptedAttribute({ allowNull: false, personal: true }),
        country: { type: DataTypes.STRING(2), allowNull: false },
        phone: encryptedAttribute({ allowNull: false, defaultValue: '', personal: true }),
        is_default: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        created_at: DataTypes.DATE,
        updated_at: DataTypes.DATE,
      },
      { sequelize, tableName: 'addresses', modelName: 'Address', underscored: true, createdAt: 'created_at', updatedAt: 'updated_at' },
    );
  }
}
