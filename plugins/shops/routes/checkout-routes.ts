import type { Request, Response } from 'express';
import type { FieldErrors, PluginContext } from '@agora/core';
import { Address } from '../models/address';
import { addressesOf } from '../services/address-book';
import { CheckoutGroup } from '../models/checkout-group';
import { availableGateways } from '../payments/gateways';
import type { ShopsSettings } from '../settings';
import { checkoutSchema, downloadCheckoutSchema, isCheckoutField, readCartFields } from '../forms/checkout-form';
import { shipsParcels } from '../services/download-delivery';
import { unknownFields } from '../forms/cart-form';
import { buildCartView, type CartShopGroup, type CartView } from '../services/cart-service';
import { cartStoreFor, type CartStore } from '../services/cart-store';
import { CartAlreadyCheckedOut, CheckoutProblem, type CheckoutAddress, type CheckoutService } from '../services/checkout-service';
import { groupPath } from '../services/order-links';
import { COUNTRY_CHOICES, COUNTRY_CODES, countryName } from '../services/countries';
import { cartPricing } from '../services/cart-pricing';
import { sessionCodes } from '../services/coupon-service';
import { rateText } from '../services/order-pricing';

declare module 'express-session' {
  interface SessionData {
    /** What the payment method said at the end of the last checkout, shown once on its confirmation page. */
    lastCheckout?: { reference: string; instructions: string };
  }
}

/** The part of the cart checked out now: all of it, or one currency's shops when it holds several. */
function selectionOf(view: CartView, currency: string | undefined): { groups: CartShopGroup[]; currency?: string } {
  // What cannot be bought now (a shop on vacation) stays in the cart, out of the checkout.
  const buyable = view.groups.map((g) => ({ ...g, lines: g.lines.filter((l) => !l.unavailable) })).filter((g) => g.lines.length > 0);
  if (view.currencies.length <= 1) return { groups: buyable, currency: view.currencies[0] };
  if (!currency || !view.currencies.includes(currency)) return { groups: [] };
  return { groups: buyable.filter((g) => g.currency === currency), currency };
}

/** /checkout and its form; the confirmation page is in guest-order-routes. */
export function checkoutRoutes(ctx: PluginContext, service: CheckoutService): void {
  const { router } = ctx;
  const settings = () => ctx.settings.get<ShopsSettings>();

  const guard = (req: Request, res: Response): boolean => {
    if (req.user || settings().guestCheckout) return true;
    // The login page says why the guest is there; its register link brings them back here too.
    res.flash('info', 'This store takes orders only from people with an account: log in, or create an account, to check out.');
    if (req.method === 'GET') res.redirect(`/login?next=${encodeURIComponent(req.originalUrl)}`);
    else res.redirect(303, '/login?next=/checkout');
    return false;
  };

  const render = async (req: Request, res: Response, store: CartStore, currency: string | undefined, values: Record<string, unknown>, errors: FieldErrors = {}, status = 200) => {
    // Other plugins' fields (form section `shops.checkout`), right before the "Place order" button.
    const formSections = await ctx.forms.render('shops.checkout', { req, context: { viewer: req.user ?? null }, body: req.method === 'POST' ? req.body : undefined, errors });
    const view = await buildCartView(await store.read(), settings().maxQuantityPerItem);
    const selection = selectionOf(view, currency);
    const gateways = selection.currency ? await availableGateways(ctx, selection.currency) : [];
    const addresses = req.user ? (await addressesOf(req.user.id)).slice(0, 20) : [];
    const totals = view.totals.find((t) => t.currency === selection.currency);
    // Coupons and tax for the country in the form (the buyer's saved one, else the store's): an estimate until placed.
    const country = typeof values.country === 'string' && COUNTRY_CODES.has(values.country) ? values.country : settings().baseCountry;
    const pricing = selection.currency ? (await cartPricing(req, view, settings(), country)).currencies.get(selection.currency) : undefined;
    // A cart of only downloads asks for no address, only the buyer's name and country (docs/shops-digital.md).
    const needsDelivery = selection.groups.some((g) => shipsParcels(g.lines));
    await res.renderPage(
      'shops/cart/checkout',
      { title: 'Checkout', view, selection, totals, pricing, rateText, gateways, addresses, countries: COUNTRY_CHOICES, countryName, values, errors, guest: !req.user, formSections, cartToken: (await store.claim()).token, needsDelivery },
      status,
    );
  };

  router.get('/checkout', async (req, res) => {
    if (!guard(req, res)) return;
    const store = cartStoreFor(req);
    const contents = await store.read();
    if (contents.items.size === 0 && !contents.variants?.size) {
      res.flash('info', 'Your cart is empty.');
      return res.redirect('/cart');
    }
    if ((await buildCartView(contents, settings().maxQuantityPerItem)).available === 0) {
      res.flash('info', 'Nothing in your cart can be bought right now; the cart says why.');
      return res.redirect('/cart');
    }
    // The buyer's default (or latest) saved address is chosen; the fields below are for a new one only, so
    // they are not filled with the same address again.
    const saved = req.user ? ((await addressesOf(req.user.id))[0] ?? null) : null;
    const values: Record<string, unknown> = {
      email: req.user?.email ?? '',
      // A new address starts in the buyer's saved country, else the store's.
      country: saved?.country ?? settings().baseCountry,
      save_address: true,
      address_id: saved ? String(saved.id) : 'new',
      phone: saved?.phone ?? '',
      name: saved ? '' : req.user ? `${req.user.first_name} ${req.user.last_name}`.trim() : '',
    };
    const currency = typeof req.query.currency === 'string' ? req.query.currency : undefined;
    await render(req, res, store, currency, values);
  });

  router.post('/checkout', async (req, res) => {
    if (!guard(req, res)) return;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const store = cartStoreFor(req);
    const currency = typeof body.currency === 'string' ? body.currency : undefined;
    const values = Object.fromEntries(Object.entries(body).filter(([k, v]) => isCheckoutField(k) && typeof v === 'string'));
    const fail = (errors: FieldErrors, status = 422) => render(req, res, store, currency, values, errors, status);

    // A second submit of a cart already checked out (a double click, another window): to the order it made.
    const toPlaced = async (key: string | null, lines: number[], variantLines: number[] = []): Promise<boolean> => {
      const group = key ? await CheckoutGroup.findOne({ where: { cart_claim: key } }) : null;
      if (!group) return false;
      if (!req.user) {
        await store.remove(lines);
        await store.removeVariants(variantLines);
        await store.claimed();
      }
      res.flash('info', 'This order was already placed; here it is.');
      res.redirect(303, groupPath(ctx.config.sessionSecret, group.reference));
      return true;
    };
    const sentToken = typeof body.cart_token === 'string' ? body.cart_token : '';
    if (sentToken) {
      const sent = readCartFields(body);
      if (await toPlaced(await store.claimKeyOf(sentToken), [...sent.items.keys()], [...sent.variants.keys()])) return;
    }

    // A field is refused unless the page sent it: checkout's own, or one an active extension declared.
    const tampered = unknownFields(body, (key) => isCheckoutField(key) || ctx.forms.accepts('shops.checkout', key));
    if (tampered) return fail(tampered);
    // Downloads only: no address is asked, so none is required (the cart is read again below, and must agree).
    const needsDelivery = selectionOf(await buildCartView(await store.read(), settings().maxQuantityPerItem), currency).groups.some((g) => shipsParcels(g.lines));
    const parsed = await ctx.forms.parse('shops.checkout', needsDelivery ? checkoutSchema : downloadCheckoutSchema, body, { req, context: { viewer: req.user ?? null } });
    if (!parsed.ok) return fail(parsed.errors);
    const listed = readCartFields(body);
    if (listed.errors) return fail(listed.errors);
    const { data: form, sections } = parsed;

    // The page listed the cart as it was; what is bought is the cart as it is, and the two must agree.
    const contents = await store.read();
    const view = await buildCartView(contents, settings().maxQuantityPerItem);
    const selection = selectionOf(view, form.currency);
    if (selection.groups.length === 0) return fail({ form: view.groups.length ? 'Choose which currency to check out.' : 'Your cart is empty.' });
    const lines = selection.groups.flatMap((g) => g.lines.map((l) => ({ productId: l.product.id, quantity: l.quantity, variantId: l.variant?.id })));
    // A product's own lines and its variants' lines (`item_v<id>`) are listed apart.
    const productLines = lines.filter((l) => l.variantId === undefined);
    const variantLines = lines.filter((l): l is typeof l & { variantId: number } => l.variantId !== undefined);
    const stranger =
      [...listed.items.keys()].find((id) => !productLines.some((l) => l.productId === id)) ?? [...listed.variants.keys()].find((id) => !variantLines.some((l) => l.variantId === id));
    if (stranger !== undefined) return fail({ form: 'This form was changed: it lists a product that is not in your cart. Reload the page and try again.' });
    if (
      productLines.length !== listed.items.size ||
      variantLines.length !== listed.variants.size ||
      productLines.some((l) => listed.items.get(l.productId) !== l.quantity) ||
      variantLines.some((l) => listed.variants.get(l.variantId) !== l.quantity)
    ) {
      return fail({ form: 'Your cart changed since this page was shown. Check the items below and place the order again.' });
    }
    if (view.gone.length) await store.remove(view.gone);

    let address: CheckoutAddress = { name: form.name, line1: form.line1, line2: form.line2, city: form.city, postcode: form.postcode, country: form.country };
    let phone = form.phone;
    if (form.address_id !== undefined) {
      const saved = req.user ? await Address.findOne({ where: { id: form.address_id, user_id: req.user.id } }) : null;
      if (!saved) return fail({ address_id: 'Choose one of your saved addresses, or enter a new one.' });
      address = { name: saved.name, line1: saved.line1, line2: saved.line2, city: saved.city, postcode: saved.postcode, country: saved.country };
      phone = form.phone || saved.phone;
    }
    const claim = await store.claim();
    // The choice made on this page wins over the one made in the cart; a shop with neither gets its first method that ships there.
    const shipping = new Map(contents.shipping);
    for (const [shopId, methodId] of listed.shipping) shipping.set(shopId, methodId);

    try {
      const outcome = await service.place({
        buyer: req.user ? { id: req.user.id, email: req.user.email } : null,
        email: form.email,
        address,
        phone,
        gatewayId: form.gateway,
        lines,
        shipping,
        saveAddress: !!req.user && form.address_id === undefined && form.save_address,
        couponCodes: sessionCodes(req.session.couponCodes),
        claim,
        inTransaction: async (transaction, placed) => {
          if (req.user) {
            await store.remove(productLines.map((l) => l.productId), transaction);
            await store.removeVariants(variantLines.map((l) => l.variantId), transaction);
          }
          const context = { groupId: placed.group.id, orders: placed.orders, email: placed.group.email, userId: req.user?.id ?? null };
          await ctx.forms.commit('shops.checkout', transaction, sections, req, context);
        },
      });
      if (!req.user) {
        await store.remove(productLines.map((l) => l.productId));
        await store.removeVariants(variantLines.map((l) => l.variantId));
      }
      await store.claimed();
      // The codes were used by this checkout (or given back if its orders are cancelled unpaid).
      req.session.couponCodes = [];
      const instructions = outcome.payment.kind === 'immediate' ? (outcome.payment.instructions ?? '') : '';
      req.session.lastCheckout = { reference: outcome.group.reference, instructions };
      if (outcome.payment.kind === 'redirect') return res.redirect(303, outcome.payment.url);
      res.flash('success', outcome.orders.length === 1 ? 'Thank you! Your order is placed.' : `Thank you! Your ${outcome.orders.length} orders are placed.`);
      res.redirect(303, outcome.confirmationPath);
    } catch (error) {
      const refused = ctx.forms.refusal(error);
      if (refused) return fail(refused);
      if (error instanceof CartAlreadyCheckedOut) {
        if (await toPlaced(error.key, productLines.map((l) => l.productId), variantLines.map((l) => l.variantId))) return;
        return fail({ form: 'This cart is being checked out in another window. Reload the page to see your order.' }, 409);
      }
      if (error instanceof CheckoutProblem) {
        if (error.afterOrders && req.user) {
          for (const l of productLines) await store.setQuantity(l.productId, l.quantity);
          for (const l of variantLines) await store.setVariantQuantity(l.variantId, l.quantity);
        }
        return fail(error.errors);
      }
      throw error;
    }
  });
}
