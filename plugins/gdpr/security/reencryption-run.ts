import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import '@agora/core';

export type ReencryptionStatus = 'queued' | 'running' | 'done' | 'failed';

/** One re-encryption of every encrypted personal field with the current data key, and what it rewrote. */
export class ReencryptionRun extends Model<InferAttributes<ReencryptionRun>, InferCreationAttributes<ReencryptionRun>> {
  declare id: CreationOptional<number>;
  declare status: ReencryptionStatus;
  /** 1 while queued or running (unique: one at a time), null after. */
  declare active: number | null;
  /** The key the values were rewritten with. */
  declare key_id: string;
  declare actor_id: number | null;
  declare requested_at: Date;
  declare started_at: CreationOptional<Date | null>;
  declare finished_at: CreationOptional<Date | null>;
  declare total: CreationOptional<number>;
  /** JSON: values rewritten per field, and the key ids retired. */
  declare report: CreationOptional<string | null>;
  declare error: CreationOptional<string | null>;

  static initModel(sequelize: Sequelize): typeof ReencryptionRun {
    return ReencryptionRun.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        status: { type: DataTypes.STRING(10), allowNull: false },
        active: { type: DataTypes.INTEGER, allowNull: true, unique: true },
        key_id: { type: DataTypes.STRING(16), allowNull: false },
        actor_id: { type: DataTypes.INTEGER, allowNull: true },
        requested_at: { type: DataTypes.DATE, allowNull: false },
        started_at: { type: DataTypes.DATE, allowNull: true },
        finished_at: { type: DataTypes.DATE, allowNull: true },
        total: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        report: { type: DataTypes.TEXT, allowNull: true },
        error: { type: DataTypes.STRING(500), allowNull: true },
      },
      { sequelize, tableName: 'gdpr_reencryption_runs', modelName: 'ReencryptionRun', underscored: true, timestamps: false },
    );
  }

  rewritten(): Record<string, number> {
    if (!this.report) return {};
    return (JSON.parse(this.report) as { rewritten?: Record<string, number> }).rewritten ?? {};
  }

  retired(): string[] {
    if (!this.report) return [];
    return (JSON.parse(this.report) as { retired?: string[] }).retired ?? [];
  }
}
