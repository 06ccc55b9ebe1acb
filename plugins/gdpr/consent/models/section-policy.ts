import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** A policy shown in one form section, required (an acknowledgement) or optional (a consent), in order. */
export class SectionPolicy extends Model<InferAttributes<SectionPolicy>, InferCreationAttributes<SectionPolicy>> {
  declare id: CreationOptional<number>;
  declare section: string;
  declare policy_id: number;
  declare required: CreationOptional<boolean>;
  declare position: CreationOptional<number>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof SectionPolicy {
    return SectionPolicy.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        section: { type: DataTypes.STRING(100), allowNull: false },
        policy_id: { type: DataTypes.INTEGER, allowNull: false },
        required: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        position: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        created_at: DataTypes.DATE,
        updated_at: DataTypes.DATE,
      },
      {
        sequelize,
        tableName: 'gdpr_section_policies',
        modelName: 'GdprSectionPolicy',
        underscored: true,
        createdAt: 'created_at',
        updatedAt: 'updated_at',
        indexes: [{ unique: true, fields: ['section', 'policy_id'] }],
      },
    );
  }
}
