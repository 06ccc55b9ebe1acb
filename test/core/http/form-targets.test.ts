import { expect } from 'chai';
import { FormTargets } from '../../../core/http/form-targets';
import { startTestApp } from '../../helpers/app';

const formAction = (csp: string) => /form-action ([^;]*)/.exec(csp)?.[1].trim().split(/\s+/) ?? [];

/**
 * Found by the browser journeys: Chromium applies CSP form-action to the redirect that answers a form's
 * POST, so "Place order" with Stripe was blocked on the checkout page. A plugin lists the hosted pages it
 * redirects forms to (`ctx.http.formTarget`), and only while it is active.
 */
describe('CSP form-action: the other sites a form may redirect to', () => {
  it('takes https origins only, once each, and forgets one when its disposer runs', () => {
    const targets = new FormTargets();
    const dispose = targets.add('stripe', 'https://checkout.stripe.com');
    const disposeOther = targets.add('other', 'https://checkout.stripe.com/');
    expect(targets.sources()).to.deep.equal(['https://checkout.stripe.com']);
    for (const bad of ['http://pay.example', 'https://pay.example/path', 'javascript:alert(1)', "'unsafe-inline'", 'https://a.example https://b.example']) {
      expect(() => targets.add('x', bad), bad).to.throw(/form target/);
    }
    dispose();
    expect(targets.sources(), 'still listed by the other plugin').to.deep.equal(['https://checkout.stripe.com']);
    disposeOther();
    expect(targets.sources()).to.deep.equal([]);
  });

  it("lists Stripe's checkout and Connect pages while stripe is active, and only 'self' without it", async function () {
    this.timeout(60_000);
    const t = await startTestApp({ plugins: ['shops', 'stripe'] });
    try {
      const on = await t.agent().get('/').expect(200);
      expect(formAction(String(on.headers['content-security-policy']))).to.deep.equal(["'self'", 'https://checkout.stripe.com', 'https://connect.stripe.com']);
      await t.platform.plugins.deactivate('stripe');
      const off = await t.agent().get('/').expect(200);
      expect(formAction(String(off.headers['content-security-policy']))).to.deep.equal(["'self'"]);
    } finally {
      await t.close();
    }
  });
});
