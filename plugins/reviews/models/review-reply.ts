import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import '@agora/core';

export type ReplyStatus = 'pending' | 'approved' | 'rejected';

/** The shop's one public answer to a review, moderated like the review. */
export class ReviewReply extends Model<InferAttributes<ReviewReply>, InferCreationAttributes<ReviewReply>> {
  declare id: CreationOptional<number>;
  declare review_id: number;
  declare shop_id: number;
  /** The shop member who wrote it; cut when their account is erased (the reply is the shop's). */
  declare user_id: number | null;
  declare body: string;
  declare status: CreationOptional<ReplyStatus>;
  declare reject_reason: CreationOptional<string | null>;
  declare moderated_at: CreationOptional<Date | null>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof ReviewReply {
    return ReviewReply.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        review_id: { type: DataTypes.INTEGER, allowNull: false, unique: true },
        shop_id: { type: DataTypes.INTEGER, allowNull: false },
        user_id: { type: DataTypes.INTEGER, allowNull: true },
        // The shop's public words, not the writer's: kept when the writer's account is erased (user_id is cut).
        body: { type: DataTypes.TEXT, allowNull: false },
        status: { type: DataTypes.STRING(20), allowNull: false, defaultValue: 'pending' },
        reject_reason: { type: DataTypes.STRING(500), allowNull: true },
        moderated_at: { type: DataTypes.DATE, allowNull: true },
        created_at: DataTypes.DATE,
        updated_at: DataTypes.DATE,
      },
      {
        sequelize,
        tableName: 'reviews_replies',
        modelName: 'ReviewReply',
        underscored: true,
        createdAt: 'created_at',
        updatedAt: 'updated_at',
        indexes: [
          { name: 'reviews_replies_status', fields: ['status', 'created_at'] },
          { name: 'reviews_replies_user', fields: ['user_id'] },
        ],
      },
    );
  }
}
