import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** A person following a shop. `email_enabled` is the per-shop switch of /account/notifications/settings. */
export class Follow extends Model<InferAttributes<Follow>, InferCreationAttributes<Follow>> {
  declare id: CreationOptional<number>;
  declare user_id: number;
  declare shop_id: number;
  declare email_enabled: CreationOptional<boolean>;
  declare created_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof Follow {
    return Follow.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        user_id: { type: DataTypes.INTEGER, allowNull: false },
        shop_id: { type: DataTypes.INTEGER, allowNull: false },
        email_enabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
        created_at: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
      },
      {
        sequelize,
        tableName: 'follows_follows',
        modelName: 'FollowsFollow',
        timestamps: false,
        indexes: [{ unique: true, fields: ['user_id', 'shop_id'] }, { fields: ['shop_id', 'id'] }],
      },
    );
  }
}
