import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type ModelStatic, type Sequelize } from 'sequelize';

/** One private file: which plugin owns it and what to answer with; the bytes are on disk (see private-files.ts). */
export interface PrivateFileRow extends Model<InferAttributes<PrivateFileRow>, InferCreationAttributes<PrivateFileRow>> {
  id: string;
  owner: string;
  /** The name it is downloaded under (the uploader's file name, cleaned). */
  name: string;
  /** The MIME type it is answered with. */
  type: string;
  size: number;
  /** When a temporary file may be swept (removeExpired); null: kept until removed. */
  expires_at: CreationOptional<Date | null>;
  created_at: CreationOptional<Date>;
}

/**
 * Defined on the given Sequelize instance rather than as a module-wide class, so two platforms in one process
 * (the tests start many) each keep their own binding.
 */
export function definePrivateFileModel(sequelize: Sequelize): ModelStatic<PrivateFileRow> {
  return sequelize.define<PrivateFileRow>(
    'PrivateFile',
    {
      id: { type: DataTypes.UUID, primaryKey: true, allowNull: false },
      owner: { type: DataTypes.STRING(64), allowNull: false },
      name: { type: DataTypes.STRING(255), allowNull: false },
      type: { type: DataTypes.STRING(100), allowNull: false },
      size: { type: DataTypes.INTEGER, allowNull: false },
      expires_at: { type: DataTypes.DATE, allowNull: true },
      created_at: { type: DataTypes.DATE, allowNull: false },
    },
    { tableName: 'private_files', underscored: true, timestamps: true, createdAt: 'created_at', updatedAt: false, indexes: [{ fields: ['owner'] }] },
  );
}
