import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/**
 * A shop's email window: opened by the first event that has emails to send, it collects the shop's
 * events until `due_at`, then one email per follower goes out. `open_key` (`shop:<id>` while open, null
 * after) is unique, so a shop has at most one open window however many fan-outs race to open one.
 */
export class Digest extends Model<InferAttributes<Digest>, InferCreationAttributes<Digest>> {
  declare id: CreationOptional<number>;
  declare shop_id: number;
  declare open_key: string | null;
  declare status: 'open' | 'sending' | 'sent';
  declare due_at: Date;
  declare sent_at: CreationOptional<Date | null>;
  declare created_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof Digest {
    return Digest.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        shop_id: { type: DataTypes.INTEGER, allowNull: false },
        open_key: { type: DataTypes.STRING(40), allowNull: true, unique: true },
        status: { type: DataTypes.STRING(10), allowNull: false },
        due_at: { type: DataTypes.DATE, allowNull: false },
        sent_at: { type: DataTypes.DATE, allowNull: true },
        created_at: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
      },
      { sequelize, tableName: 'follows_digests', modelName: 'FollowsDigest', timestamps: false },
    );
  }
}
