import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import '@agora/core';

/** `warning`: told by email, nothing blocked; `suspension`: may not write messages until lifted. */
export type SanctionKind = 'warning' | 'suspension';

export class Sanction extends Model<InferAttributes<Sanction>, InferCreationAttributes<Sanction>> {
  declare id: CreationOptional<number>;
  declare user_id: number;
  declare kind: SanctionKind;
  /** What the admin told the person. */
  declare reason: string;
  declare report_id: number | null;
  declare created_by: number | null;
  declare created_at: CreationOptional<Date>;
  declare lifted_at: Date | null;

  static initModel(sequelize: Sequelize): typeof Sanction {
    return Sanction.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        user_id: { type: DataTypes.INTEGER, allowNull: false },
        kind: { type: DataTypes.STRING(20), allowNull: false },
        reason: { type: DataTypes.TEXT, allowNull: false, personal: true },
        report_id: { type: DataTypes.INTEGER, allowNull: true },
        created_by: { type: DataTypes.INTEGER, allowNull: true },
        created_at: DataTypes.DATE,
        lifted_at: { type: DataTypes.DATE, allowNull: true },
      },
      { sequelize, tableName: 'messaging_sanctions', modelName: 'MessagingSanction', underscored: true, createdAt: 'created_at', updatedAt: false, indexes: [{ fields: ['user_id'] }] },
    );
  }
}
