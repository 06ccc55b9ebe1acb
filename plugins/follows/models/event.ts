import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

export type EventKind = 'published' | 'discounted' | 'restocked';
/** Who is told: the shop's followers, or the people who favourited the product (for a discount, those who do not follow the shop). */
export type EventAudience = 'followers' | 'favourites';

/**
 * Something a shop did that its followers are told of, written once by the fan-out job (unique
 * `event_key`). `follower_limit` fixes who is told (followers up to that follow id, the ones there when the
 * event happened); `fanout_cursor` is the last follow id already given its notification, so a restarted
 * job carries on where the last committed batch ended.
 */
export class FollowEvent extends Model<InferAttributes<FollowEvent>, InferCreationAttributes<FollowEvent>> {
  declare id: CreationOptional<number>;
  declare event_key: string;
  declare kind: EventKind;
  declare audience: CreationOptional<EventAudience>;
  declare shop_id: number;
  declare product_id: number;
  declare title: string;
  declare url: string;
  declare image_url: string | null;
  /** Minor units of `currency`. */
  declare price: number;
  declare previous_price: number | null;
  declare currency: string;
  declare follower_limit: number;
  declare fanout_cursor: CreationOptional<number>;
  declare fanned_out_at: Date | null;
  declare created_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof FollowEvent {
    return FollowEvent.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        event_key: { type: DataTypes.STRING(120), allowNull: false, unique: true },
        kind: { type: DataTypes.STRING(20), allowNull: false },
        audience: { type: DataTypes.STRING(20), allowNull: false, defaultValue: 'followers' },
        shop_id: { type: DataTypes.INTEGER, allowNull: false },
        product_id: { type: DataTypes.INTEGER, allowNull: false },
        title: { type: DataTypes.STRING(200), allowNull: false },
        url: { type: DataTypes.STRING(300), allowNull: false },
        image_url: { type: DataTypes.STRING(300), allowNull: true },
        price: { type: DataTypes.INTEGER, allowNull: false },
        previous_price: { type: DataTypes.INTEGER, allowNull: true },
        currency: { type: DataTypes.STRING(3), allowNull: false },
        follower_limit: { type: DataTypes.INTEGER, allowNull: false },
        fanout_cursor: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        fanned_out_at: { type: DataTypes.DATE, allowNull: true },
        created_at: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
      },
      { sequelize, tableName: 'follows_events', modelName: 'FollowsEvent', timestamps: false },
    );
  }
}
