import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import { encryptedAttribute } from '@agora/core';

export type InvoiceKind = 'invoice' | 'credit_note';

/**
 * An invoice (one per paid order) or a credit note (one per refund), numbered from its shop's gap-free
 * sequence of its kind. `data` is the document as issued (JSON of services/invoice-data.ts): it is never
 * rewritten, so a later change of the shop's or the buyer's details shows on the next document only.
 */
export class Invoice extends Model<InferAttributes<Invoice>, InferCreationAttributes<Invoice>> {
  declare id: CreationOptional<number>;
  declare shop_id: number;
  declare order_id: number;
  declare refund_id: number | null;
  declare kind: InvoiceKind;
  /** 1, 2, 3... within the shop and kind. */
  declare sequence: number;
  /** As printed: "INV-000042", "CN-000003". */
  declare number: string;
  declare buyer_id: number | null;
  declare currency: string;
  declare total: number;
  declare data: string;
  declare issued_at: Date;

  static initModel(sequelize: Sequelize): typeof Invoice {
    return Invoice.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        shop_id: { type: DataTypes.INTEGER, allowNull: false },
        order_id: { type: DataTypes.INTEGER, allowNull: false },
        refund_id: { type: DataTypes.INTEGER, allowNull: true },
        kind: { type: DataTypes.STRING(12), allowNull: false },
        sequence: { type: DataTypes.INTEGER, allowNull: false },
        number: { type: DataTypes.STRING(40), allowNull: false },
        buyer_id: { type: DataTypes.INTEGER, allowNull: true },
        currency: { type: DataTypes.STRING(3), allowNull: false },
        total: { type: DataTypes.INTEGER, allowNull: false },
        // The buyer's billing name and address as issued: kept for the tax retention period (privacy-invoices.ts).
        // Encrypted at rest (core's encryptedAttribute, issue 14): the billing address is in it.
        data: encryptedAttribute({ allowNull: false, personal: true }),
        issued_at: { type: DataTypes.DATE, allowNull: false },
      },
      { sequelize, tableName: 'invoices', modelName: 'Invoice', indexes: [{ name: 'invoices_shop_kind_sequence', unique: true, fields: ['shop_id', 'kind', 'sequence'] }, { name: 'invoices_refund_unique', unique: true, fields: ['refund_id'] }], timestamps: false },
    );
  }
}
