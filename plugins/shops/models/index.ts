import type { Sequelize } from 'sequelize';
import { Shop } from './shop';
import { ShopMember } from './shop-member';
import { ShippingMethod } from './shipping-method';
import { Category } from './category';
import { Product } from './product';
import { ProductImage } from './product-image';
import { ProductTag } from './product-tag';
import { Announcement } from './announcement';
import { Cart } from './cart';
import { CartItem } from './cart-item';
import { Address } from './address';
import { CheckoutGroup } from './checkout-group';
import { Order } from './order';
import { OrderItem } from './order-item';
import { OrderStatusHistory } from './order-status-history';
import { OrderNote } from './order-note';
import { PaymentEvent } from './payment-event';
import { Refund } from './refund';
import { Coupon } from './coupon';
import { CouponRedemption } from './coupon-redemption';
import { TaxRate } from './tax-rate';
import { Invoice } from './invoice';
import { InvoiceCounter } from './invoice-counter';
import { ProductAttribute, ProductAttributeValue } from './product-attribute';
import { CartVariantItem, ProductOption, ProductVariant, ProductVariantValue } from './product-variant';

export { Shop, ShopMember, ShippingMethod, Category, Product, ProductImage, ProductTag, Announcement, Cart, CartItem, Address, CheckoutGroup, Order, OrderItem, OrderStatusHistory, OrderNote, PaymentEvent, Refund, Coupon, CouponRedemption, TaxRate, Invoice, InvoiceCounter, ProductAttribute, ProductAttributeValue, ProductVariant, ProductVariantValue, ProductOption, CartVariantItem };

/** Binds every shops model to the database and declares how they relate. */
export function initShopModels(sequelize: Sequelize): void {
  for (const model of [Shop, ShopMember, ShippingMethod, Category, Product, ProductImage, ProductTag, Announcement, Cart, CartItem, Address, CheckoutGroup, Order, OrderItem, OrderStatusHistory, OrderNote, PaymentEvent, Refund, Coupon, CouponRedemption, TaxRate, Invoice, InvoiceCounter, ProductAttribute, ProductAttributeValue, ProductVariant, ProductVariantValue, ProductOption, CartVariantItem]) {
    model.initModel(sequelize);
  }
  Shop.hasMany(ShippingMethod, { foreignKey: 'shop_id', as: 'shippingMethods' });
  Shop.hasMany(ShopMember, { foreignKey: 'shop_id', as: 'members' });
  Shop.hasMany(Product, { foreignKey: 'shop_id', as: 'products' });
  Product.belongsTo(Shop, { foreignKey: 'shop_id', as: 'shop' });
  Product.belongsTo(Category, { foreignKey: 'category_id', as: 'category' });
  Product.hasMany(ProductImage, { foreignKey: 'product_id', as: 'images' });
  Product.hasMany(ProductTag, { foreignKey: 'product_id', as: 'tags' });
  Cart.hasMany(CartItem, { foreignKey: 'cart_id', as: 'items' });
  CartItem.belongsTo(Product, { foreignKey: 'product_id', as: 'product' });
  CheckoutGroup.hasMany(Order, { foreignKey: 'group_id', as: 'orders' });
  Order.belongsTo(CheckoutGroup, { foreignKey: 'group_id', as: 'group' });
  Order.belongsTo(Shop, { foreignKey: 'shop_id', as: 'shop' });
  Order.hasMany(OrderItem, { foreignKey: 'order_id', as: 'items' });
  Order.hasMany(OrderStatusHistory, { foreignKey: 'order_id', as: 'history' });
  Order.hasMany(OrderNote, { foreignKey: 'order_id', as: 'notes' });
  Order.hasMany(Refund, { foreignKey: 'order_id', as: 'refunds' });
  Order.hasMany(Invoice, { foreignKey: 'order_id', as: 'invoices' });
  ProductAttribute.hasMany(ProductAttributeValue, { foreignKey: 'attribute_id', as: 'values' });
  Product.hasMany(ProductVariant, { foreignKey: 'product_id', as: 'variants' });
}
