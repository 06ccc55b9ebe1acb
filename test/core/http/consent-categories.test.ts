import { expect } from 'chai';
import { AssetRegistry, type ConsentCategory } from '../../../core/http/assets';

// A plugin adds a consent category by declaration merging, as it would from its own hooks.ts.
declare module '@agora/core' {
  interface ConsentCategoryMap {
    'test-social': true;
  }
}

describe('consent categories', () => {
  it('are an open set that plugins extend by declaration merging, checked at compile time', () => {
    const assets = new AssetRegistry();
    const added: ConsentCategory = 'test-social';
    assets.declareCookie({ owner: 'test', name: 'social', purpose: 'Share buttons', consent: added, duration: '1 day' });
    assets.declareCookie({ owner: 'test', name: 'prefs', purpose: 'Settings', consent: 'preferences', duration: '1 day' });
    assets.declareCookie({ owner: 'test', name: 'cart', purpose: 'The cart', consent: 'necessary', duration: 'session' });
    // @ts-expect-error a misspelt category is a compile error
    assets.declareCookie({ owner: 'test', name: 'x', purpose: 'x', consent: 'marketting', duration: '1 day' });
    expect(assets.consentCategories(), 'the categories that need asking, never necessary').to.deep.equal(['marketting', 'preferences', 'test-social']);
    expect(assets.cookie('social')?.consent).to.equal('test-social');
    expect(assets.cookie('nope')).to.equal(undefined);
  });
});
