import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** One text of a policy as it was published; never changed once written (the register points at its hash). */
export class PolicyVersion extends Model<InferAttributes<PolicyVersion>, InferCreationAttributes<PolicyVersion>> {
  declare id: CreationOptional<number>;
  declare policy_id: number;
  declare version: number;
  declare title: string;
  declare body: string;
  /** What changed since the previous version, shown to people asked to accept it again. */
  declare changes: CreationOptional<string>;
  /** SHA-256 of the exact text shown (title and body). */
  declare text_hash: string;
  declare created_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof PolicyVersion {
    return PolicyVersion.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        policy_id: { type: DataTypes.INTEGER, allowNull: false },
        version: { type: DataTypes.INTEGER, allowNull: false },
        title: { type: DataTypes.STRING(200), allowNull: false },
        body: { type: DataTypes.TEXT, allowNull: false },
        changes: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
        text_hash: { type: DataTypes.STRING(64), allowNull: false },
        created_at: DataTypes.DATE,
      },
      {
        sequelize,
        tableName: 'gdpr_policy_versions',
        modelName: 'GdprPolicyVersion',
        underscored: true,
        createdAt: 'created_at',
        updatedAt: false,
        indexes: [{ unique: true, fields: ['policy_id', 'version'] }],
      },
    );
  }
}
