import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import '@agora/core';

export const REPORT_REASONS = ['spam', 'harassment'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];
/** `open` until an admin decides: dismissed, or the sender warned, suspended from messaging, or their account closed. */
export type ReportStatus = 'open' | 'dismissed' | 'warned' | 'suspended' | 'closed';

/** A party's report of a conversation; erased people leave it as an anonymized count (ids and note gone). */
export class Report extends Model<InferAttributes<Report>, InferCreationAttributes<Report>> {
  declare id: CreationOptional<number>;
  declare conversation_id: number | null;
  declare reporter_id: number | null;
  /** The sender reported: the other side's last author in the conversation. */
  declare reported_user_id: number | null;
  declare reason: ReportReason;
  declare note: string | null;
  declare status: ReportStatus;
  declare resolved_by: number | null;
  declare resolved_at: Date | null;
  declare created_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof Report {
    return Report.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        conversation_id: { type: DataTypes.INTEGER, allowNull: true },
        reporter_id: { type: DataTypes.INTEGER, allowNull: true },
        reported_user_id: { type: DataTypes.INTEGER, allowNull: true },
        reason: { type: DataTypes.STRING(20), allowNull: false },
        note: { type: DataTypes.TEXT, allowNull: true, personal: true },
        status: { type: DataTypes.STRING(20), allowNull: false },
        resolved_by: { type: DataTypes.INTEGER, allowNull: true },
        resolved_at: { type: DataTypes.DATE, allowNull: true },
        created_at: DataTypes.DATE,
      },
      {
        sequelize,
        tableName: 'messaging_reports',
        modelName: 'MessagingReport',
        underscored: true,
        createdAt: 'created_at',
        updatedAt: false,
        indexes: [{ fields: ['conversation_id', 'reporter_id'], unique: true }, { fields: ['status'] }],
      },
    );
  }
}
