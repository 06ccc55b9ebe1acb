import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/**
 * A buyer's access to one file of one paid order line. The limit and the expiry are copied from the product
 * (or the store's settings) when it is granted, so a later change of either does not move what was sold.
 * `downloads_used` is only ever raised by a conditional update (services/download-service.ts); a refund sets
 * `revoked_at`. The access is a record of its own beside the order's status, never folded into it.
 */
export class DownloadGrant extends Model<InferAttributes<DownloadGrant>, InferCreationAttributes<DownloadGrant>> {
  declare id: CreationOptional<number>;
  declare order_id: number;
  declare order_item_id: number;
  /** The product's file row; null once the seller removed it (the grant keeps the private file it points to). */
  declare product_download_id: number | null;
  declare file_id: string;
  declare name: string;
  declare size: number;
  /** Downloads allowed; null: no limit. */
  declare download_limit: number | null;
  declare downloads_used: CreationOptional<number>;
  /** When the link stops working; null: it does not expire. */
  declare expires_at: Date | null;
  declare revoked_at: CreationOptional<Date | null>;
  declare revoked_reason: CreationOptional<string>;
  declare created_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof DownloadGrant {
    return DownloadGrant.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        order_id: { type: DataTypes.INTEGER, allowNull: false },
        order_item_id: { type: DataTypes.INTEGER, allowNull: false },
        product_download_id: { type: DataTypes.INTEGER, allowNull: true },
        file_id: { type: DataTypes.STRING(36), allowNull: false },
        name: { type: DataTypes.STRING(255), allowNull: false },
        size: { type: DataTypes.INTEGER, allowNull: false },
        download_limit: { type: DataTypes.INTEGER, allowNull: true },
        downloads_used: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        expires_at: { type: DataTypes.DATE, allowNull: true },
        revoked_at: { type: DataTypes.DATE, allowNull: true },
        revoked_reason: { type: DataTypes.STRING(200), allowNull: false, defaultValue: '' },
        created_at: DataTypes.DATE,
      },
      {
        sequelize,
        tableName: 'download_grants',
        modelName: 'DownloadGrant',
        indexes: [
          { name: 'download_grants_item_file_unique', unique: true, fields: ['order_item_id', 'file_id'] },
          { name: 'download_grants_order', fields: ['order_id'] },
        ],
        underscored: true,
        createdAt: 'created_at',
        updatedAt: false,
      },
    );
  }

  /** What the buyer may still do with it, and if nothing, why. */
  state(now = new Date()): 'available' | 'revoked' | 'expired' | 'used_up' {
    if (this.revoked_at) return 'revoked';
    if (this.expires_at && this.expires_at.getTime() <= now.getTime()) return 'expired';
    if (this.download_limit !== null && this.downloads_used >= this.download_limit) return 'used_up';
    return 'available';
  }
}
