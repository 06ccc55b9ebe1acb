import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** A person's switch for every follow email at once; no row means emails are on. */
export class Preference extends Model<InferAttributes<Preference>, InferCreationAttributes<Preference>> {
  declare user_id: number;
  declare email_enabled: boolean;
  declare updated_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof Preference {
    return Preference.init(
      {
        user_id: { type: DataTypes.INTEGER, primaryKey: true },
        email_enabled: { type: DataTypes.BOOLEAN, allowNull: false },
        updated_at: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
      },
      { sequelize, tableName: 'follows_preferences', modelName: 'FollowsPreference', timestamps: false },
    );
  }
}
