import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import type { MailCategory } from './message';

/** queued → sent | kept (no SMTP) | failed (retried by the job); cancelled: a `core.email.message` filter stopped it, never delivered. */
export type OutboxStatus = 'queued' | 'sent' | 'kept' | 'failed' | 'cancelled';

export class OutboxMessage extends Model<InferAttributes<OutboxMessage>, InferCreationAttributes<OutboxMessage>> {
  declare id: CreationOptional<number>;
  declare to_address: string;
  declare subject: string;
  declare text_body: string;
  declare html_body: string | null;
  declare status: OutboxStatus;
  declare error: CreationOptional<string | null>;
  declare sent_at: CreationOptional<Date | null>;
  declare created_at: CreationOptional<Date>;
  /** The extra headers as a JSON object (`{"List-Unsubscribe": "<https://…>"}`), or null for none. */
  declare headers: CreationOptional<string | null>;
  declare category: CreationOptional<MailCategory>;
  declare user_id: CreationOptional<number | null>;
  declare cancel_reason: CreationOptional<string | null>;
  declare cancelled_by: CreationOptional<string | null>;

  /** The extra headers as an object (empty when there are none). */
  headerMap(): Record<string, string> {
    if (!this.headers) return {};
    try {
      const parsed: unknown = JSON.parse(this.headers);
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
    } catch {
      return {};
    }
  }

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
        headers: { type: DataTypes.TEXT, allowNull: true },
        category: { type: DataTypes.STRING(20), allowNull: false, defaultValue: 'transactional' },
        user_id: { type: DataTypes.INTEGER, allowNull: true },
        cancel_reason: { type: DataTypes.TEXT, allowNull: true },
        cancelled_by: { type: DataTypes.STRING(100), allowNull: true },
      },
      // The indexes the migrations make (0001: to_address, 0005: user_id), so model and table agree.
      { sequelize, tableName: 'outbox', modelName: 'OutboxMessage', timestamps: false, indexes: [{ fields: ['to_address'] }, { fields: ['user_id'] }] },
    );
  }
}
