import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import '@agora/core';

/** A personal-data breach (GDPR Art. 33): what happened, whom it touched, what was done, and when the authority was told. */
export class Breach extends Model<InferAttributes<Breach>, InferCreationAttributes<Breach>> {
  declare id: CreationOptional<number>;
  declare title: string;
  declare description: string;
  declare discovered_at: Date;
  declare people_affected: number;
  declare data_affected: string;
  declare measures: string;
  declare notified_at: CreationOptional<Date | null>;
  declare authority_reference: CreationOptional<string | null>;
  declare users_notified_at: CreationOptional<Date | null>;
  declare users_notified_count: CreationOptional<number>;
  declare created_by: number | null;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof Breach {
    return Breach.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        title: { type: DataTypes.STRING(200), allowNull: false },
        description: { type: DataTypes.TEXT, allowNull: false },
        discovered_at: { type: DataTypes.DATE, allowNull: false },
        people_affected: { type: DataTypes.INTEGER, allowNull: false },
        data_affected: { type: DataTypes.TEXT, allowNull: false },
        measures: { type: DataTypes.TEXT, allowNull: false },
        notified_at: { type: DataTypes.DATE, allowNull: true },
        authority_reference: { type: DataTypes.STRING(200), allowNull: true },
        users_notified_at: { type: DataTypes.DATE, allowNull: true },
        users_notified_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        created_by: { type: DataTypes.INTEGER, allowNull: true },
        created_at: DataTypes.DATE,
        updated_at: DataTypes.DATE,
      },
      { sequelize, tableName: 'gdpr_breaches', modelName: 'Breach', underscored: true, createdAt: 'created_at', updatedAt: 'updated_at' },
    );
  }
}
