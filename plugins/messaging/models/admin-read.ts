import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** An admin read a conversation they are no party to: kept so that reading other people's messages is accountable. */
export class AdminRead extends Model<InferAttributes<AdminRead>, InferCreationAttributes<AdminRead>> {
  declare id: CreationOptional<number>;
  declare conversation_id: number;
  declare admin_id: number | null;
  declare created_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof AdminRead {
    return AdminRead.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        conversation_id: { type: DataTypes.INTEGER, allowNull: false },
        admin_id: { type: DataTypes.INTEGER, allowNull: true },
        created_at: DataTypes.DATE,
      },
      { sequelize, tableName: 'messaging_admin_reads', modelName: 'MessagingAdminRead', underscored: true, createdAt: 'created_at', updatedAt: false, indexes: [{ fields: ['conversation_id'] }] },
    );
  }
}
