import { expect } from 'chai';
import { truncateIp } from '../../../../plugins/gdpr/consent/ip';
import { identityHash, rowHash, textHash } from '../../../../plugins/gdpr/consent/hash-chain';
import { decodeChoice, encodeChoice } from '../../../../plugins/gdpr/consent/cookies/consent-cookie';
import { policyHtml } from '../../../../plugins/gdpr/consent/policy-html';

describe('gdpr: the pieces of the register and the consent cookie', () => {
  it('truncates IPv4 to its /24 and IPv6 to its /48', () => {
    expect(truncateIp('203.0.113.42')).to.equal('203.0.113.0');
    expect(truncateIp('::ffff:198.51.100.7')).to.equal('198.51.100.0');
    expect(truncateIp('2001:db8:85a3:8d3:1319:8a2e:370:7348')).to.equal('2001:db8:85a3::');
    expect(truncateIp('not an ip')).to.equal('');
  });

  it('a row hash changes with any covered field; an identity hash depends on its salt', () => {
    const row = { seq: 1, action: 'accepted', section: 'core.register', policy_slug: 'terms', policy_version: 1, text_hash: textHash('T', 'body'), categories: '', required: true, previous_at: '', recorded_at: '2026-01-01T00:00:00.000Z', receipt: 'r', identity_hash: 'i', prev_hash: '0'.repeat(64) };
    const base = rowHash(row);
    expect(rowHash({ ...row })).to.equal(base);
    for (const [key, value] of Object.entries({ seq: 2, action: 'withdrawn', policy_version: 2, required: false, recorded_at: '2026-01-01T00:00:00.001Z', prev_hash: '1'.repeat(64) })) {
      expect(rowHash({ ...row, [key]: value }), key).not.to.equal(base);
    }
    const who = { user_id: 1, email: 'a@example.test', display_name: 'A', ip: '203.0.113.0', user_agent_hash: null, consent_id: null };
    expect(identityHash('salt-1', who)).not.to.equal(identityHash('salt-2', who));
  });

  it('the consent cookie is signed: a changed category or a foreign secret is not a choice', () => {
    const value = encodeChoice('secret', { id: 'a'.repeat(32), categories: ['necessary', 'statistics'], issuedAt: 1_700_000_000, declarations: 'abc' });
    expect(decodeChoice('secret', value)?.categories).to.deep.equal(['necessary', 'statistics']);
    expect(decodeChoice('secret', value.replace('statistics', 'marketing'))).to.equal(undefined);
    expect(decodeChoice('other', value)).to.equal(undefined);
    expect(decodeChoice('secret', 'garbage')).to.equal(undefined);
  });

  it('renders a policy as escaped paragraphs, headings and lists', () => {
    expect(policyHtml('## Who\n\nWe <b>sell</b>\nthings.\n\n- one\n- two')).to.equal('<h2>Who</h2>\n<p>We &lt;b&gt;sell&lt;/b&gt;<br>things.</p>\n<ul><li>one</li><li>two</li></ul>');
  });
});
