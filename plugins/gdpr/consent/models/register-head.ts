import { DataTypes, Model, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** The chain's last sequence number and hash (one row, id 1): each append locks it, and a deleted last row is caught against it. */
export class RegisterHead extends Model<InferAttributes<RegisterHead>, InferCreationAttributes<RegisterHead>> {
  declare id: number;
  declare seq: number;
  declare hash: string;

  static initModel(sequelize: Sequelize): typeof RegisterHead {
    return RegisterHead.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true },
        seq: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        hash: { type: DataTypes.STRING(64), allowNull: false },
      },
      { sequelize, tableName: 'gdpr_register_head', modelName: 'GdprRegisterHead', underscored: true, timestamps: false },
    );
  }
}
