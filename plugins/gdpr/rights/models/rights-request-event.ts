import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import '@agora/core';

/** One line of a request's history: every change of status, and every extension, with who did it and why. */
export class RightsRequestEvent extends Model<InferAttributes<RightsRequestEvent>, InferCreationAttributes<RightsRequestEvent>> {
  declare id: CreationOptional<number>;
  declare request_id: number;
  declare action: string;
  declare from_status: string | null;
  declare to_status: string;
  declare note: string | null;
  declare actor_id: number | null;
  declare created_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof RightsRequestEvent {
    return RightsRequestEvent.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        request_id: { type: DataTypes.INTEGER, allowNull: false },
        action: { type: DataTypes.STRING(30), allowNull: false },
        from_status: { type: DataTypes.STRING(30), allowNull: true },
        to_status: { type: DataTypes.STRING(30), allowNull: false },
        note: { type: DataTypes.TEXT, allowNull: true },
        actor_id: { type: DataTypes.INTEGER, allowNull: true },
        created_at: DataTypes.DATE,
      },
      { sequelize, tableName: 'gdpr_rights_request_events', modelName: 'RightsRequestEvent', underscored: true, createdAt: 'created_at', updatedAt: false, indexes: [{ fields: ['request_id'] }] },
    );
  }
}
