import { z } from 'zod';
import { COUNTRY_CODES } from '../services/countries';

const text = (max: number) => z.preprocess((v) => (v === undefined || v === null ? '' : v), z.string('Enter text').trim().max(max, `At most ${max} characters`));
const required = (max: number, message: string) => text(max).pipe(z.string().min(1, message));

/** A saved address of the account's address book (/account/addresses). */
export const addressSchema = z.object({
  name: required(200, 'Enter the name to deliver to'),
  line1: required(200, 'Enter the street address'),
  line2: text(200),
  city: required(100, 'Enter the town or city'),
  postcode: required(20, 'Enter the postcode'),
  country: text(2)
    .transform((v) => v.toUpperCase())
    .refine((v) => COUNTRY_CODES.has(v), 'Choose a country'),
  phone: text(40).refine((v) => v === '' || /^[+()\d][\d\s().\-/]{3,38}$/.test(v), 'Enter a phone number, or leave it empty'),
  is_default: z.preprocess((v) => v === 'on' || v === '1' || v === 'true', z.boolean()),
});

export type AddressForm = z.infer<typeof addressSchema>;

export const ADDRESS_FIELDS = new Set(['name', 'line1', 'line2', 'city', 'postcode', 'country', 'phone', 'is_default']);
