import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import '@agora/core';

/** What a person asks for (GDPR Art. 15 to 21). `export` is portability (a registered user's download at once). */
export const REQUEST_KINDS = ['access', 'export', 'erasure', 'objection', 'correction'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

export const REQUEST_STATUSES = ['awaiting_verification', 'verified', 'accepted', 'rejected', 'completed', 'expired'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/**
 * One request in the register. The email is the person's until an erasure shreds it (`erased_at`); the
 * keyed hash stays, so the register still shows that the request existed and was answered.
 */
export class RightsRequest extends Model<InferAttributes<RightsRequest>, InferCreationAttributes<RightsRequest>> {
  declare id: CreationOptional<number>;
  declare kind: RequestKind;
  declare email: string;
  declare email_hash: string;
  declare user_id: number | null;
  declare source: 'email' | 'account';
  declare status: RequestStatus;
  declare token_hash: CreationOptional<string | null>;
  declare token_expires_at: CreationOptional<Date | null>;
  declare pending_key: CreationOptional<string | null>;
  declare received_at: Date;
  declare verified_at: CreationOptional<Date | null>;
  declare due_at: CreationOptional<Date | null>;
  declare extended_months: CreationOptional<number>;
  declare extension_reason: CreationOptional<string | null>;
  declare decided_at: CreationOptional<Date | null>;
  declare decided_by: CreationOptional<number | null>;
  declare reject_reason: CreationOptional<string | null>;
  declare completed_at: CreationOptional<Date | null>;
  declare details: CreationOptional<string | null>;
  declare report: CreationOptional<string | null>;
  declare file_id: CreationOptional<string | null>;
  declare download_token_hash: CreationOptional<string | null>;
  declare download_expires_at: CreationOptional<Date | null>;
  declare downloaded_at: CreationOptional<Date | null>;
  declare erased_at: CreationOptional<Date | null>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof RightsRequest {
    return RightsRequest.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        kind: { type: DataTypes.STRING(20), allowNull: false },
        email: { type: DataTypes.STRING(254), allowNull: false, personal: true },
        email_hash: { type: DataTypes.STRING(64), allowNull: false },
        user_id: { type: DataTypes.INTEGER, allowNull: true },
        source: { type: DataTypes.STRING(10), allowNull: false },
        status: { type: DataTypes.STRING(30), allowNull: false },
        token_hash: { type: DataTypes.STRING(64), allowNull: true, unique: true },
        token_expires_at: { type: DataTypes.DATE, allowNull: true },
        pending_key: { type: DataTypes.STRING(100), allowNull: true, unique: true },
        received_at: { type: DataTypes.DATE, allowNull: false },
        verified_at: { type: DataTypes.DATE, allowNull: true },
        due_at: { type: DataTypes.DATE, allowNull: true },
        extended_months: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        extension_reason: { type: DataTypes.TEXT, allowNull: true },
        decided_at: { type: DataTypes.DATE, allowNull: true },
        decided_by: { type: DataTypes.INTEGER, allowNull: true },
        reject_reason: { type: DataTypes.TEXT, allowNull: true },
        completed_at: { type: DataTypes.DATE, allowNull: true },
        details: { type: DataTypes.TEXT, allowNull: true },
        report: { type: DataTypes.TEXT, allowNull: true },
        file_id: { type: DataTypes.STRING(64), allowNull: true },
        download_token_hash: { type: DataTypes.STRING(64), allowNull: true, unique: true },
        download_expires_at: { type: DataTypes.DATE, allowNull: true },
        downloaded_at: { type: DataTypes.DATE, allowNull: true },
        erased_at: { type: DataTypes.DATE, allowNull: true },
        created_at: DataTypes.DATE,
        updated_at: DataTypes.DATE,
      },
      {
        sequelize,
        tableName: 'gdpr_rights_requests',
        modelName: 'RightsRequest',
        underscored: true,
        createdAt: 'created_at',
        updatedAt: 'updated_at',
        indexes: [{ fields: ['email_hash'] }, { fields: ['status', 'due_at'] }, { fields: ['user_id'] }],
      },
    );
  }
}
