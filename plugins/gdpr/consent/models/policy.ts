import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

export const POLICY_KINDS = ['terms', 'privacy', 'cookies', 'consent', 'custom'] as const;
export type PolicyKind = (typeof POLICY_KINDS)[number];

/** A legal document of the store (Terms, Privacy Policy, ...); its texts are its versions. */
export class Policy extends Model<InferAttributes<Policy>, InferCreationAttributes<Policy>> {
  declare id: CreationOptional<number>;
  declare slug: string;
  declare title: string;
  declare kind: CreationOptional<PolicyKind>;
  declare current_version: CreationOptional<number>;
  declare position: CreationOptional<number>;
  /** When the owner last reviewed it; null for a generated text nobody has read yet. */
  declare reviewed_at: Date | null;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof Policy {
    return Policy.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        slug: { type: DataTypes.STRING(80), allowNull: false, unique: true },
        title: { type: DataTypes.STRING(200), allowNull: false },
        kind: { type: DataTypes.STRING(20), allowNull: false, defaultValue: 'custom' },
        current_version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
        position: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        reviewed_at: { type: DataTypes.DATE, allowNull: true },
        created_at: DataTypes.DATE,
        updated_at: DataTypes.DATE,
      },
      { sequelize, tableName: 'gdpr_policies', modelName: 'GdprPolicy', underscored: true, createdAt: 'created_at', updatedAt: 'updated_at' },
    );
  }
}
