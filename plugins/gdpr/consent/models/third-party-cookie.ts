import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** A cookie of a third party the admin declared (an embedded video, an analytics tag), listed and guarded like plugins' cookies. */
export class ThirdPartyCookie extends Model<InferAttributes<ThirdPartyCookie>, InferCreationAttributes<ThirdPartyCookie>> {
  declare id: CreationOptional<number>;
  declare name: string;
  declare provider: string;
  declare purpose: string;
  declare duration: string;
  declare category: string;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof ThirdPartyCookie {
    return ThirdPartyCookie.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        name: { type: DataTypes.STRING(100), allowNull: false },
        provider: { type: DataTypes.STRING(200), allowNull: false },
        purpose: { type: DataTypes.STRING(500), allowNull: false },
        duration: { type: DataTypes.STRING(100), allowNull: false },
        category: { type: DataTypes.STRING(40), allowNull: false },
        created_at: DataTypes.DATE,
        updated_at: DataTypes.DATE,
      },
      { sequelize, tableName: 'gdpr_cookies', modelName: 'GdprThirdPartyCookie', underscored: true, createdAt: 'created_at', updatedAt: 'updated_at' },
    );
  }
}
