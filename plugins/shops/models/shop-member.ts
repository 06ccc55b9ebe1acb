import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { forgetPerRequest } from '@agora/core';

/** The key under which a request keeps a person's shops (services/shop-access.ts): a change of membership forgets it. */
export const MEMBER_SHOPS_MEMO = 'shops.member-shops:';
const forgetMemberships = () => forgetPerRequest(MEMBER_SHOPS_MEMO);

/** Who may run a shop: the seller role is held per shop, through this row. */
export class ShopMember extends Model<InferAttributes<ShopMember>, InferCreationAttributes<ShopMember>> {
  declare shop_id: number;
  declare user_id: number;
  declare role: CreationOptional<'owner' | 'staff'>;
  declare created_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof ShopMember {
    return ShopMember.init(
      {
        shop_id: { type: DataTypes.INTEGER, primaryKey: true },
        user_id: { type: DataTypes.INTEGER, primaryKey: true },
        role: { type: DataTypes.STRING(20), allowNull: false, defaultValue: 'owner' },
        created_at: DataTypes.DATE,
      },
      {
        sequelize,
        tableName: 'shop_members',
        modelName: 'ShopMember',
        underscored: true,
        createdAt: 'created_at',
        updatedAt: false,
        hooks: { afterCreate: forgetMemberships, afterDestroy: forgetMemberships, afterBulkCreate: forgetMemberships, afterBulkDestroy: forgetMemberships, afterBulkUpdate: forgetMemberships },
      },
    );
  }
}
