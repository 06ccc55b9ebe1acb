import { expect } from 'chai';
import { Capabilities } from '../../../core/auth/capabilities';

describe('capabilities', () => {
  const customer = { id: 1, role: 'customer' as const };
  const otherCustomer = { id: 2, role: 'customer' as const };
  const seller = { id: 3, role: 'seller' as const };
  const admin = { id: 4, role: 'admin' as const };

  it('grants a registered capability to the roles named, and to admin always', async () => {
    const caps = new Capabilities();
    caps.register('reviews', 'reviews.moderate', 'Hide reviews', ['moderator']);
    expect(await caps.can({ id: 9, role: 'moderator' }, 'reviews.moderate')).to.equal(true);
    expect(await caps.can(admin, 'reviews.moderate')).to.equal(true);
    expect(await caps.can(customer, 'reviews.moderate')).to.equal(false);
    expect(await caps.can(undefined, 'reviews.moderate')).to.equal(false);
    expect(caps.list()).to.deep.equal([{ capability: 'reviews.moderate', owner: 'reviews', label: 'Hide reviews', roles: ['moderator', 'admin'] }]);
  });

  it('lets an object rule allow a person to act on what they own, and nothing else', async () => {
    const caps = new Capabilities();
    caps.register('notes', 'notes.edit', 'Edit any note', ['moderator']);
    caps.rule('notes.edit', (actor, note) => (note as { ownerId: number }).ownerId === actor.id);
    const mine = { ownerId: customer.id };
    expect(await caps.can(customer, 'notes.edit', mine)).to.equal(true);
    expect(await caps.can(otherCustomer, 'notes.edit', mine)).to.equal(false);
    // Without an object, a rule cannot apply: only the role capability counts.
    expect(await caps.can(customer, 'notes.edit')).to.equal(false);
    expect(await caps.can(seller, 'notes.edit', { ownerId: 99 })).to.equal(false);
    expect(await caps.can(admin, 'notes.edit', { ownerId: 99 })).to.equal(true);
  });

  it('takes back exactly what a plugin registered when it goes', async () => {
    const caps = new Capabilities();
    caps.register('core', 'shared.view', 'View', ['seller']);
    const off = caps.register('plugin', 'plugin.do', 'Do', ['seller', 'customer']);
    const offRule = caps.rule('plugin.do', () => true);
    expect(await caps.can(seller, 'plugin.do')).to.equal(true);
    off();
    offRule();
    expect(await caps.can(seller, 'plugin.do', {})).to.equal(false);
    expect(await caps.can(seller, 'shared.view')).to.equal(true);
    expect(caps.roleHas('customer', 'plugin.do')).to.equal(false);
  });
});
