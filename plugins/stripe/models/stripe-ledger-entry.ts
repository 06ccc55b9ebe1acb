import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/**
 * sale: what the buyer paid for the order; fee: the platform's part of it; refund: given back to the
 * buyer; fee_refund: the platform's part of a refund; transfer: sent to the seller's Stripe account;
 * reversal: taken back from a transfer for a refund; manual_payout: paid to the seller by hand.
 */
export type LedgerKind = 'sale' | 'fee' | 'refund' | 'fee_refund' | 'transfer' | 'reversal' | 'manual_payout';

/** One line of an order's money, in integer minor units, always positive: its kind says which way it goes. */
export class StripeLedgerEntry extends Model<InferAttributes<StripeLedgerEntry>, InferCreationAttributes<StripeLedgerEntry>> {
  declare id: CreationOptional<number>;
  /** Unique: `sale:<order>`, `refund:<refund>`, ... so an entry is written once however often its cause is told. */
  declare entry_key: string;
  declare kind: LedgerKind;
  declare order_id: number | null;
  declare shop_id: number;
  declare payment_id: number | null;
  declare amount: number;
  declare currency: string;
  /** Stripe's id of the money movement (tr_, trr_, re_), for the admin. */
  declare stripe_ref: CreationOptional<string | null>;
  declare created_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof StripeLedgerEntry {
    return StripeLedgerEntry.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        entry_key: { type: DataTypes.STRING(100), allowNull: false, unique: true },
        kind: { type: DataTypes.STRING(20), allowNull: false },
        order_id: { type: DataTypes.INTEGER, allowNull: true },
        shop_id: { type: DataTypes.INTEGER, allowNull: false },
        payment_id: { type: DataTypes.INTEGER, allowNull: true },
        amount: { type: DataTypes.INTEGER, allowNull: false },
        currency: { type: DataTypes.STRING(3), allowNull: false },
        stripe_ref: { type: DataTypes.STRING(255), allowNull: true },
        created_at: DataTypes.DATE,
      },
      {
        sequelize,
        tableName: 'stripe_ledger_entries',
        modelName: 'StripeLedgerEntry',
        underscored: true,
        createdAt: 'created_at',
        updatedAt: false,
        indexes: [{ fields: ['shop_id'] }, { fields: ['order_id'] }],
      },
    );
  }
}
