import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

function appendOnly(): never {
  throw new Error('The consent register is append-only: its rows are never changed or deleted');
}

export const REGISTER_ACTIONS = ['accepted', 'withdrawn'] as const;
export type RegisterAction = (typeof REGISTER_ACTIONS)[number];

/**
 * One row of the consent register. Append-only: rows are never updated or deleted, and each carries the
 * hash of the row before it (`prev_hash`) and its own (`hash`), so an edit or a deletion breaks the chain.
 * Who it is about lives in `ConsentIdentity` (shredded on erasure); the chain covers only its hash.
 */
export class RegisterEntry extends Model<InferAttributes<RegisterEntry>, InferCreationAttributes<RegisterEntry>> {
  declare id: CreationOptional<number>;
  declare seq: number;
  declare action: RegisterAction;
  declare section: string;
  declare policy_slug: CreationOptional<string>;
  declare policy_version: CreationOptional<number>;
  declare text_hash: CreationOptional<string>;
  /** Cookie consents: the categories accepted, comma-separated (`necessary` always). */
  declare categories: CreationOptional<string>;
  declare required: CreationOptional<boolean>;
  /** ISO time of this person's previous action on the same policy, or ''. */
  declare previous_at: CreationOptional<string>;
  /** ISO time (UTC, milliseconds) of the action. */
  declare recorded_at: string;
  /** A random id of this row, the person's receipt. */
  declare receipt: string;
  declare identity_hash: string;
  declare prev_hash: string;
  declare hash: string;

  static initModel(sequelize: Sequelize): typeof RegisterEntry {
    return RegisterEntry.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        seq: { type: DataTypes.INTEGER, allowNull: false, unique: true },
        action: { type: DataTypes.STRING(20), allowNull: false },
        section: { type: DataTypes.STRING(100), allowNull: false },
        policy_slug: { type: DataTypes.STRING(80), allowNull: false, defaultValue: '' },
        policy_version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        text_hash: { type: DataTypes.STRING(64), allowNull: false, defaultValue: '' },
        categories: { type: DataTypes.STRING(300), allowNull: false, defaultValue: '' },
        required: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        previous_at: { type: DataTypes.STRING(30), allowNull: false, defaultValue: '' },
        recorded_at: { type: DataTypes.STRING(30), allowNull: false },
        receipt: { type: DataTypes.STRING(32), allowNull: false, unique: true },
        identity_hash: { type: DataTypes.STRING(64), allowNull: false },
        prev_hash: { type: DataTypes.STRING(64), allowNull: false },
        hash: { type: DataTypes.STRING(64), allowNull: false },
      },
      {
        sequelize,
        tableName: 'gdpr_consent_register',
        modelName: 'GdprRegisterEntry',
        underscored: true,
        timestamps: false,
        indexes: [{ fields: ['policy_slug'] }],
        // Append-only through the model too: a change would break the chain, so it is refused before it is written.
        hooks: {
          beforeUpdate: appendOnly,
          beforeBulkUpdate: appendOnly,
          beforeDestroy: appendOnly,
          beforeBulkDestroy: appendOnly,
        },
      },
    );
  }
}
