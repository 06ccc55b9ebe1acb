import type { Request, Response } from 'express';
import { type PluginContext, requireUser, notFound, parseForm, type FieldErrors } from '@agora/core';
import type { Address } from '../models/address';
import { unknownFields } from '../forms/cart-form';
import { ADDRESS_FIELDS, addressSchema } from '../forms/address-form';
import { addressesOf, deleteAddress, makeDefault, ownAddress, saveAddress } from '../services/address-book';
import { COUNTRY_CHOICES, countryName } from '../services/countries';
import type { ShopsSettings } from '../settings';

/** The account's address book: add, edit, delete, choose the default; checkout offers these addresses. */
export function addressRoutes(ctx: PluginContext): void {
  const { router } = ctx;

  const idOf = (req: Request): number | undefined => {
    const id = Number(req.params.id);
    return Number.isSafeInteger(id) && id > 0 ? id : undefined;
  };
  /** The viewer's own address by the id in the path; anyone else's answers 404, like one that does not exist. */
  const own = async (req: Request): Promise<Address> => {
    const id = idOf(req);
    const address = id === undefined ? null : await ownAddress(req.user!.id, id);
    if (!address) throw notFound('address');
    return address;
  };

  const renderList = async (req: Request, res: Response, values: Record<string, unknown> = {}, errors: FieldErrors = {}, status = 200) => {
    const addresses = await addressesOf(req.user!.id);
    const country = ctx.settings.get<ShopsSettings>().baseCountry;
    await res.renderPage('shops/account/addresses', { title: 'My addresses', addresses, countryName, countries: COUNTRY_CHOICES, values: { country, ...values }, errors }, status);
  };
  const renderEdit = async (req: Request, res: Response, address: Address, values: Record<string, unknown>, errors: FieldErrors = {}, status = 200) => {
    await res.renderPage('shops/account/address-edit', { title: 'Edit address', address, countries: COUNTRY_CHOICES, values, errors }, status);
  };
  const typed = (body: unknown) => Object.fromEntries(Object.entries((body ?? {}) as Record<string, unknown>).filter(([k, v]) => ADDRESS_FIELDS.has(k) && typeof v === 'string'));

  router.get('/account/addresses', requireUser, async (req, res) => renderList(req, res));

  router.post('/account/addresses', requireUser, async (req, res) => {
    const tampered = unknownFields(req.body, (k) => ADDRESS_FIELDS.has(k));
    if (tampered) return renderList(req, res, typed(req.body), tampered, 422);
    const parsed = parseForm(addressSchema, req.body);
    if (!parsed.ok) return renderList(req, res, typed(req.body), parsed.errors, 422);
    await saveAddress(req.user!.id, parsed.data, null);
    res.flash('success', 'Address saved.');
    res.redirect(303, '/account/addresses');
  });

  router.get('/account/addresses/:id/edit', requireUser, async (req, res) => {
    const address = await own(req);
    await renderEdit(req, res, address, { ...address.get({ plain: true }) });
  });

  router.post('/account/addresses/:id', requireUser, async (req, res) => {
    const address = await own(req);
    const tampered = unknownFields(req.body, (k) => ADDRESS_FIELDS.has(k));
    if (tampered) return renderEdit(req, res, address, typed(req.body), tampered, 422);
    const parsed = parseForm(addressSchema, req.body);
    if (!parsed.ok) return renderEdit(req, res, address, typed(req.body), parsed.errors, 422);
    const before = address.get({ plain: true }) as unknown as Record<string, unknown>;
    await saveAddress(req.user!.id, parsed.data, address);
    // A correction of personal data (Art. 16): the gdpr plugin logs which fields, never the values.
    const fields = ['name', 'line1', 'line2', 'city', 'postcode', 'country', 'phone'].filter((f) => before[f] !== address.get(f as 'name'));
    if (fields.length) await ctx.hooks.do('core.personal_data.corrected', { userId: req.user!.id, email: req.user!.email }, { owner: 'shops', what: 'a saved address', fields });
    res.flash('success', 'Address updated.');
    res.redirect(303, '/account/addresses');
  });

  router.post('/account/addresses/:id/default', requireUser, async (req, res) => {
    const address = await own(req);
    if (unknownFields(req.body, () => false)) return renderList(req, res, {}, { form: 'This form was changed. Reload the page and try again.' }, 422);
    await makeDefault(req.user!.id, address);
    res.flash('success', 'Default address changed.');
    res.redirect(303, '/account/addresses');
  });

  router.post('/account/addresses/:id/delete', requireUser, async (req, res) => {
    const address = await own(req);
    if (unknownFields(req.body, () => false)) return renderList(req, res, {}, { form: 'This form was changed. Reload the page and try again.' }, 422);
    await deleteAddress(req.user!.id, address);
    res.flash('success', 'Address deleted.');
    res.redirect(303, '/account/addresses');
  });
}
