import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

export const EVENT_KINDS = ['subscribed', 'link_sent', 'confirmed', 'unsubscribed'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/**
 * One change of a subscription, kept as proof of consent and of its withdrawal: what happened, how (the
 * form, the link, the List-Unsubscribe POST), from which address and when.
 */
export class NewsletterEvent extends Model<InferAttributes<NewsletterEvent>, InferCreationAttributes<NewsletterEvent>> {
  declare id: CreationOptional<number>;
  declare subscriber_id: number;
  declare kind: EventKind;
  declare how: string;
  declare ip: string | null;
  declare created_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof NewsletterEvent {
    return NewsletterEvent.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        subscriber_id: { type: DataTypes.INTEGER, allowNull: false },
        kind: { type: DataTypes.STRING(20), allowNull: false },
        how: { type: DataTypes.STRING(100), allowNull: false },
        ip: { type: DataTypes.STRING(64), allowNull: true, personal: true },
        created_at: DataTypes.DATE,
      },
      { sequelize, tableName: 'newsletter_events', modelName: 'NewsletterEvent', underscored: true, createdAt: 'created_at', updatedAt: false, indexes: [{ fields: ['subscriber_id'] }] },
    );
  }
}
