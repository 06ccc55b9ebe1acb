import type { Sequelize } from 'sequelize';
import { StripeAccount } from './stripe-account';
import { StripeEvent } from './stripe-event';
import { StripeLedgerEntry } from './stripe-ledger-entry';
import { StripePayment } from './stripe-payment';
import { StripeTransfer } from './stripe-transfer';

export { StripeAccount, StripeEvent, StripeLedgerEntry, StripePayment, StripeTransfer };

export function initStripeModels(sequelize: Sequelize): void {
  for (const model of [StripePayment, StripeEvent, StripeAccount, StripeLedgerEntry, StripeTransfer]) model.initModel(sequelize);
}
