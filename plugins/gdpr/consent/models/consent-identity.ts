import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/**
 * Who a register row is about, with the request's traces (truncated IP, a hash of the user agent, the
 * consent cookie's random id). Erasure shreds it (every field null, `shredded_at` set); the register row keeps
 * only `identity_hash`, salted with `salt`, so the hash of a shredded identity cannot be matched to a guess.
 */
export class ConsentIdentity extends Model<InferAttributes<ConsentIdentity>, InferCreationAttributes<ConsentIdentity>> {
  declare register_id: number;
  declare user_id: number | null;
  declare email: string | null;
  declare display_name: string | null;
  declare ip: string | null;
  declare user_agent_hash: string | null;
  declare consent_id: string | null;
  declare salt: string | null;
  /** Salted SHA-256 of the IP (hash version 2): the identity's hash covers it, so the IP itself can go. */
  declare ip_seal: CreationOptional<string | null>;
  /** When the retention rule gdpr.consent-ips removed the IP (the row and its seal stay). */
  declare ip_removed_at: CreationOptional<Date | null>;
  /** 1: the identity's hash covers the IP itself (rows written before migration 0102); 2: it covers `ip_seal`. */
  declare hash_version: CreationOptional<number>;
  declare shredded_at: CreationOptional<Date | null>;

  static initModel(sequelize: Sequelize): typeof ConsentIdentity {
    return ConsentIdentity.init(
      {
        register_id: { type: DataTypes.INTEGER, primaryKey: true },
        user_id: { type: DataTypes.INTEGER, allowNull: true },
        email: { type: DataTypes.STRING(320), allowNull: true, personal: true },
        display_name: { type: DataTypes.STRING(200), allowNull: true, personal: true },
        ip: { type: DataTypes.STRING(64), allowNull: true, personal: true },
        user_agent_hash: { type: DataTypes.STRING(64), allowNull: true },
        consent_id: { type: DataTypes.STRING(64), allowNull: true, personal: true },
        salt: { type: DataTypes.STRING(64), allowNull: true },
        ip_seal: { type: DataTypes.STRING(64), allowNull: true },
        ip_removed_at: { type: DataTypes.DATE, allowNull: true },
        hash_version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
        shredded_at: { type: DataTypes.DATE, allowNull: true },
      },
      {
        sequelize,
        tableName: 'gdpr_consent_identities',
        modelName: 'GdprConsentIdentity',
        underscored: true,
        timestamps: false,
        indexes: [{ fields: ['user_id'] }, { fields: ['email'] }, { fields: ['consent_id'] }],
      },
    );
  }
}
