import type { Transaction } from 'sequelize';
import { Address } from '../models/address';
import type { AddressForm } from '../forms/address-form';

/** A person's saved addresses, the default first, then the most recently used. */
export function addressesOf(userId: number, transaction?: Transaction): Promise<Address[]> {
  return Address.findAll({ where: { user_id: userId }, order: [['is_default', 'DESC'], ['updated_at', 'DESC'], ['id', 'DESC']], transaction });
}

/** One of the person's own addresses, or null: someone else's address is never found. */
export function ownAddress(userId: number, id: number): Promise<Address | null> {
  return Address.findOne({ where: { id, user_id: userId } });
}

/** Saves an address (new or edited); making it the default unsets the others in the same transaction. */
export async function saveAddress(userId: number, data: AddressForm, existing: Address | null): Promise<Address> {
  const sequelize = Address.sequelize!;
  return sequelize.transaction(async (transaction) => {
    const count = await Address.count({ where: { user_id: userId }, transaction });
    // The first address is the default until another one is chosen.
    const isDefault = data.is_default || (!existing && count === 0);
    if (isDefault) await Address.update({ is_default: false }, { where: { user_id: userId }, transaction });
    const fields = { name: data.name, line1: data.line1, line2: data.line2, city: data.city, postcode: data.postcode, country: data.country, phone: data.phone };
    if (existing) return existing.update({ ...fields, ...(isDefault ? { is_default: true } : {}) }, { transaction });
    return Address.create({ user_id: userId, ...fields, is_default: isDefault }, { transaction });
  });
}

export async function makeDefault(userId: number, address: Address): Promise<void> {
  await Address.sequelize!.transaction(async (transaction) => {
    await Address.update({ is_default: false }, { where: { user_id: userId }, transaction });
    await Address.update({ is_default: true }, { where: { id: address.id, user_id: userId }, transaction });
  });
}

/** Deletes an address; when it was the default, the most recent other one becomes the default. */
export async function deleteAddress(userId: number, address: Address): Promise<void> {
  await Address.sequelize!.transaction(async (transaction) => {
    await Address.destroy({ where: { id: address.id, user_id: userId }, transaction });
    if (!address.is_default) return;
    const next = (await addressesOf(userId, transaction))[0];
    if (next) await next.update({ is_default: true }, { transaction });
  });
}
