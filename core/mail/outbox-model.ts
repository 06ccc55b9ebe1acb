import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

export class OutboxMessage extends Model<InferAttributes<OutboxMessage>, InferCreationAttributes<OutboxMessage>> {
  declare id: CreationOptional<number>;
  declare to_address: string;
  declare subject: string;
  declare text_body: string;
  declare html_body: string | null;
  declare status: 'queued' | 'sent' | 'kept' | 'failed';
  declare error: CreationOptional<string | null>;
  declare sent_at: CreationOptional<Date | null>;
  declare created_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof OutboxMessage {
    return OutboxMessage.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        to_address: { type: DataTypes.STRING(320), allowNull: false, personal: true },
        subject: { type: DataTypes.STRING(500), allowNull: false },
        text_body: { type: DataTypes.TEXT, allowNull: false, personal: true },
        html_body: { type: DataTypes.TEXT, allowNull: true, personal: true },
        status: { type: DataTypes.STRING(20), allowNull: false },
        error: { type: DataTypes.TEXT, allowNull: true },
        sent_at: { type: DataTypes.DATE, allowNull: true },
        created_at: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
      },
      { sequelize, tableName: 'outbox', modelName: 'OutboxMessage', timestamps: false },
    );
  }
}
