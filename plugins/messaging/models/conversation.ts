import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { forgetPerRequest } from '@agora/core';

/** The key under which a request keeps a person's unread counts (services/conversations.ts); any write to a conversation forgets it. */
export const UNREAD_MEMO = 'messaging.unread:';
const forgetUnread = () => forgetPerRequest(UNREAD_MEMO);

/** `shop`: a buyer and a shop's people; `store`: a ticket with the store itself (the contact form), answered by the admins. */
export type ConversationKind = 'shop' | 'store';
export const CONVERSATION_STATUSES = ['open', 'waiting_buyer', 'waiting_seller', 'closed'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

/**
 * A support ticket: a thread between a buyer (an account, or a guest's name and email for the store's contact
 * form) and a shop's people or the store's admins, about a product, an order or nothing in particular.
 */
export class Conversation extends Model<InferAttributes<Conversation>, InferCreationAttributes<Conversation>> {
  declare id: CreationOptional<number>;
  declare kind: ConversationKind;
  declare shop_id: number | null;
  declare product_id: number | null;
  declare order_id: number | null;
  /** The buyer's side (null for a guest, or once the buyer's data was erased). */
  declare buyer_id: number | null;
  /** Who opened it (the buyer, or a seller writing about an order): counted by the per-sender limit. */
  declare starter_id: number | null;
  declare guest_name: string | null;
  declare guest_email: string | null;
  declare subject: string;
  declare status: ConversationStatus;
  /** A first message held for review: the other side does not see the conversation until an admin releases it. */
  declare held: CreationOptional<boolean>;
  declare buyer_unread: CreationOptional<number>;
  declare seller_unread: CreationOptional<number>;
  /** The form's one-time key: the same form sent twice opens one conversation. */
  declare submission_key: string;
  declare last_message_at: Date;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof Conversation {
    return Conversation.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        kind: { type: DataTypes.STRING(10), allowNull: false },
        shop_id: { type: DataTypes.INTEGER, allowNull: true },
        product_id: { type: DataTypes.INTEGER, allowNull: true },
        order_id: { type: DataTypes.INTEGER, allowNull: true },
        buyer_id: { type: DataTypes.INTEGER, allowNull: true },
        starter_id: { type: DataTypes.INTEGER, allowNull: true },
        guest_name: { type: DataTypes.STRING(100), allowNull: true, personal: true },
        guest_email: { type: DataTypes.STRING(320), allowNull: true, personal: true },
        subject: { type: DataTypes.STRING(200), allowNull: false, personal: true },
        status: { type: DataTypes.STRING(20), allowNull: false },
        held: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        buyer_unread: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        seller_unread: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        submission_key: { type: DataTypes.STRING(64), allowNull: false, unique: true },
        last_message_at: { type: DataTypes.DATE, allowNull: false },
        created_at: DataTypes.DATE,
        updated_at: DataTypes.DATE,
      },
      {
        sequelize,
        tableName: 'messaging_conversations',
        modelName: 'MessagingConversation',
        underscored: true,
        createdAt: 'created_at',
        updatedAt: 'updated_at',
        indexes: [{ fields: ['buyer_id'] }, { fields: ['shop_id'] }, { fields: ['starter_id', 'created_at'] }, { fields: ['kind', 'status'] }],
        hooks: { afterCreate: forgetUnread, afterUpdate: forgetUnread, afterBulkUpdate: forgetUnread, afterDestroy: forgetUnread, afterBulkDestroy: forgetUnread },
      },
    );
  }
}
