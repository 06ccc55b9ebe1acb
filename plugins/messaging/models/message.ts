import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import '@agora/core';

/** Which side wrote a message: the buyer, the shop (or, in a store ticket, the store's team), or an admin stepping in. */
export type AuthorSide = 'buyer' | 'seller' | 'admin';

/** What an erased message reads in the thread the other party keeps. */
export const REMOVED_BODY = 'message removed';

export class Message extends Model<InferAttributes<Message>, InferCreationAttributes<Message>> {
  declare id: CreationOptional<number>;
  declare conversation_id: number;
  declare author_id: number | null;
  declare author_side: AuthorSide;
  declare body: string;
  declare removed: CreationOptional<boolean>;
  declare submission_key: string;
  declare created_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof Message {
    return Message.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        conversation_id: { type: DataTypes.INTEGER, allowNull: false },
        author_id: { type: DataTypes.INTEGER, allowNull: true },
        author_side: { type: DataTypes.STRING(10), allowNull: false },
        body: { type: DataTypes.TEXT, allowNull: false, personal: true },
        removed: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        submission_key: { type: DataTypes.STRING(64), allowNull: false, unique: true },
        created_at: DataTypes.DATE,
      },
      {
        sequelize,
        tableName: 'messaging_messages',
        modelName: 'MessagingMessage',
        underscored: true,
        createdAt: 'created_at',
        updatedAt: false,
        indexes: [{ fields: ['conversation_id', 'created_at'] }, { fields: ['author_id'] }],
      },
    );
  }
}
