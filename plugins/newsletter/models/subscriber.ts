import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

export const SUBSCRIBER_STATUSES = ['pending', 'confirmed', 'unsubscribed'] as const;
export type SubscriberStatus = (typeof SUBSCRIBER_STATUSES)[number];

/** Where a subscription was asked for; shown to the admin as the source of consent. */
export const SOURCES = ['footer', 'page', 'register', 'account'] as const;
export type SubscriptionSource = (typeof SOURCES)[number];

/**
 * One address on the list and where it stands now. What happened to it, when, how and from where is the
 * record of `NewsletterEvent`; `confirm_nonce` makes the newest confirmation link the only one that works.
 */
export class NewsletterSubscriber extends Model<InferAttributes<NewsletterSubscriber>, InferCreationAttributes<NewsletterSubscriber>> {
  declare id: CreationOptional<number>;
  /** Null once the address left the list: from then on only its hash is kept. */
  declare email: string | null;
  /** `addressHash(email)`: what the unsubscribe link names, and the key of the suppression list. */
  declare email_hash: string;
  declare user_id: number | null;
  declare status: SubscriberStatus;
  declare source: SubscriptionSource;
  declare confirm_nonce: string | null;
  declare consented_at: Date;
  declare confirmed_at: Date | null;
  declare unsubscribed_at: Date | null;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof NewsletterSubscriber {
    return NewsletterSubscriber.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        email: { type: DataTypes.STRING(320), allowNull: true, unique: true, personal: true },
        email_hash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
        user_id: { type: DataTypes.INTEGER, allowNull: true },
        status: { type: DataTypes.STRING(20), allowNull: false },
        source: { type: DataTypes.STRING(20), allowNull: false },
        confirm_nonce: { type: DataTypes.STRING(64), allowNull: true },
        consented_at: { type: DataTypes.DATE, allowNull: false },
        confirmed_at: { type: DataTypes.DATE, allowNull: true },
        unsubscribed_at: { type: DataTypes.DATE, allowNull: true },
        created_at: DataTypes.DATE,
        updated_at: DataTypes.DATE,
      },
      {
        sequelize,
        tableName: 'newsletter_subscribers',
        modelName: 'NewsletterSubscriber',
        underscored: true,
        createdAt: 'created_at',
        updatedAt: 'updated_at',
        indexes: [{ fields: ['status'] }, { fields: ['user_id'] }],
      },
    );
  }
}
