import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import '@agora/core';

/** What one kind did in a run of the retention sweep. */
export interface RetentionRunLine {
  kind: string;
  label: string;
  days: number;
  cutoff: string;
  removed: number;
  anonymized: number;
  kept: number;
  /** Rows past the cutoff left alone because their person has a pending request (absent in runs before it existed). */
  skipped?: number;
  error?: string;
}

/** One run of the retention sweep (scheduled, or started by the admin, perhaps as a dry run) and its report. */
export class RetentionRun extends Model<InferAttributes<RetentionRun>, InferCreationAttributes<RetentionRun>> {
  declare id: CreationOptional<number>;
  declare dry_run: boolean;
  declare trigger: 'schedule' | 'admin';
  declare actor_id: number | null;
  declare started_at: Date;
  declare finished_at: CreationOptional<Date | null>;
  declare report: CreationOptional<string | null>;

  static initModel(sequelize: Sequelize): typeof RetentionRun {
    return RetentionRun.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        dry_run: { type: DataTypes.BOOLEAN, allowNull: false },
        trigger: { type: DataTypes.STRING(10), allowNull: false },
        actor_id: { type: DataTypes.INTEGER, allowNull: true },
        started_at: { type: DataTypes.DATE, allowNull: false },
        finished_at: { type: DataTypes.DATE, allowNull: true },
        report: { type: DataTypes.TEXT, allowNull: true },
      },
      { sequelize, tableName: 'gdpr_retention_runs', modelName: 'RetentionRun', underscored: true, timestamps: false },
    );
  }

  lines(): RetentionRunLine[] {
    return this.report ? (JSON.parse(this.report) as RetentionRunLine[]) : [];
  }
}
