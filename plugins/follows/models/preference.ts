import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/**
 * A person's switch for every follow email at once, and one for the emails about their favourites
 * (discounted, back in stock); no row means both are on. The all-emails switch off stops both.
 */
export class Preference extends Model<InferAttributes<Preference>, InferCreationAttributes<Preference>> {
  declare user_id: number;
  declare email_enabled: boolean;
  declare favourites_email_enabled: CreationOptional<boolean>;
  declare updated_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof Preference {
    return Preference.init(
      {
        user_id: { type: DataTypes.INTEGER, primaryKey: true },
        email_enabled: { type: DataTypes.BOOLEAN, allowNull: false },
        favourites_email_enabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
        updated_at: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
      },
      { sequelize, tableName: 'follows_preferences', modelName: 'FollowsPreference', timestamps: false },
    );
  }
}
