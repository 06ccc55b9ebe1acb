import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** One download: who (the account, or none for a guest's link), when, and from where (the IP truncated). */
export class DownloadRecord extends Model<InferAttributes<DownloadRecord>, InferCreationAttributes<DownloadRecord>> {
  declare id: CreationOptional<number>;
  declare grant_id: number;
  declare order_id: number;
  declare user_id: number | null;
  /** IPv4 with its last byte zeroed, IPv6 cut to its first 48 bits: enough to see abuse, not to find a home. */
  declare ip: string;
  declare created_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof DownloadRecord {
    return DownloadRecord.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        grant_id: { type: DataTypes.INTEGER, allowNull: false },
        order_id: { type: DataTypes.INTEGER, allowNull: false },
        user_id: { type: DataTypes.INTEGER, allowNull: true },
        ip: { type: DataTypes.STRING(45), allowNull: false, defaultValue: '', personal: true },
        created_at: DataTypes.DATE,
      },
      {
        sequelize,
        tableName: 'download_records',
        modelName: 'DownloadRecord',
        indexes: [
          { name: 'download_records_grant', fields: ['grant_id'] },
          { name: 'download_records_order', fields: ['order_id'] },
        ],
        underscored: true,
        createdAt: 'created_at',
        updatedAt: false,
      },
    );
  }
}
