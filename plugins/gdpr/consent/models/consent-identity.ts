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
