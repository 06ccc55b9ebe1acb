import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import '@agora/core';

/** A file sent with a message: the bytes are a private file of the plugin, served only to the parties and admins. */
export class Attachment extends Model<InferAttributes<Attachment>, InferCreationAttributes<Attachment>> {
  declare id: CreationOptional<number>;
  declare message_id: number;
  declare conversation_id: number;
  declare file_id: string;
  /** The name the sender's file had (shown, and used as the download name). */
  declare name: string;
  /** The type read from the content, never the one the browser claimed. */
  declare type: string;
  declare size: number;
  declare created_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof Attachment {
    return Attachment.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        message_id: { type: DataTypes.INTEGER, allowNull: false },
        conversation_id: { type: DataTypes.INTEGER, allowNull: false },
        file_id: { type: DataTypes.UUID, allowNull: false, unique: true },
        name: { type: DataTypes.STRING(200), allowNull: false, personal: true },
        type: { type: DataTypes.STRING(100), allowNull: false },
        size: { type: DataTypes.INTEGER, allowNull: false },
        created_at: DataTypes.DATE,
      },
      {
        sequelize,
        tableName: 'messaging_attachments',
        modelName: 'MessagingAttachment',
        underscored: true,
        createdAt: 'created_at',
        updatedAt: false,
        indexes: [{ fields: ['message_id'] }, { fields: ['conversation_id'] }],
      },
    );
  }
}
