import type { PluginContext } from '@agora/core';
import type { PolicyKind } from './models/policy';

/** What the generated texts are filled from: the store's General settings and what every active plugin declares. */
export interface StoreFacts {
  storeName: string;
  address: string;
  contactEmail: string;
  processings: ReadonlyArray<{ owner: string; data: string[]; purpose: string; legalBasis: string; recipients: string[]; retention: string }>;
}

const BASIS: Record<string, string> = {
  consent: 'your consent (Art. 6(1)(a) GDPR), which you may withdraw at any time',
  contract: 'the performance of a contract with you (Art. 6(1)(b) GDPR)',
  legal_obligation: 'a legal obligation we are under (Art. 6(1)(c) GDPR)',
  vital_interests: 'the vital interests of a person (Art. 6(1)(d) GDPR)',
  public_task: 'a task carried out in the public interest (Art. 6(1)(e) GDPR)',
  legitimate_interests: 'our legitimate interests (Art. 6(1)(f) GDPR), which you may object to',
};

export function storeFacts(ctx: PluginContext): StoreFacts {
  const core = ctx.platform.options.get<Record<string, unknown>>('settings.core', {});
  const text = (v: unknown, fallback = '') => (typeof v === 'string' && v.trim() ? v.trim() : fallback);
  return {
    storeName: text(core.siteName, ctx.platform.options.get<string>('site.name', 'Agora')),
    address: text(core.storeAddress, '[the store’s postal address: set it in Settings › General]'),
    contactEmail: text(core.contactEmail, '[the store’s contact email: set it in Settings › General]'),
    processings: ctx.platform.privacy.processings(),
  };
}

function controller(f: StoreFacts): string {
  return `## Who we are\n\n${f.storeName} runs this marketplace and is the controller of your personal data. Independent sellers offer their goods here; each seller receives what it needs to fulfil your order.\n\nPostal address: ${f.address.replace(/\r?\n/g, ', ')}\nContact: ${f.contactEmail}`;
}

function rights(): string {
  return [
    '## Your rights',
    '',
    'You may ask for access to your data, its correction, its erasure, a copy to take elsewhere (portability), the restriction of its processing, and object to processing based on our legitimate interests or for marketing. Where we rely on your consent you may withdraw it at any time, as easily as you gave it, from your account’s Privacy page; this does not affect what was done before.',
    '',
    'Exercise your rights at /privacy/rights. We answer within one month. You also have the right to complain to a supervisory authority.',
  ].join('\n');
}

/** The four documents a fresh install creates, written for a multi-vendor marketplace, for the owner to review. */
export function generatedPolicies(f: StoreFacts): Array<{ slug: string; title: string; kind: PolicyKind; body: string }> {
  const processing = f.processings.length
    ? f.processings
        .map((p) => `- ${p.purpose}: ${p.data.join(', ')}. Legal basis: ${BASIS[p.legalBasis] ?? p.legalBasis}. Kept: ${p.retention}.${p.recipients.length ? ` Shared with: ${p.recipients.join(', ')}.` : ''}`)
        .join('\n')
    : '- Your account: the name and email address you give us, to run your account.';
  return [
    {
      slug: 'terms',
      title: 'Terms and Conditions',
      kind: 'terms',
      body: [
        `These terms govern the use of ${f.storeName}, a marketplace where independent sellers offer their goods.`,
        '',
        controller(f),
        '',
        '## Orders',
        '',
        'Each order is a contract between you and the seller of the goods. The marketplace takes the order and the payment on the seller’s behalf and passes your order to them. Prices are shown with their currency; the total, shipping included, is shown before you place the order.',
        '',
        '## Withdrawal and returns',
        '',
        'Unless the law says otherwise for the goods, you may withdraw from a purchase within 14 days of receiving it, by telling the seller through your account or by email.',
        '',
        '## Sellers',
        '',
        'Sellers are responsible for their listings, their goods and their shipping, and agree to the seller terms when they open a shop.',
        '',
        '## Contact',
        '',
        `Questions about these terms: ${f.contactEmail}.`,
      ].join('\n'),
    },
    {
      slug: 'privacy',
      title: 'Privacy Policy',
      kind: 'privacy',
      body: [
        `This policy says what personal data ${f.storeName} collects, why, for how long, and what your rights are.`,
        '',
        controller(f),
        '',
        '## What we collect and why',
        '',
        processing,
        '',
        '## Cookies',
        '',
        'Strictly necessary cookies keep you logged in and protect forms. Other cookies are set only after you consent to their category; see the Cookie Policy and /privacy/cookies.',
        '',
        rights(),
      ].join('\n'),
    },
    {
      slug: 'cookies',
      title: 'Cookie Policy',
      kind: 'cookies',
      body: [
        `${f.storeName} uses cookies and similar technologies. Strictly necessary cookies are always on; performance, functional and targeting cookies are set only after you consent to their category, and you can change your choice at any time at /privacy/cookies. A browser that sends the Global Privacy Control signal is treated as refusing performance and targeting cookies.`,
        '',
        'The list of cookies below is generated from what the store and its plugins declare, and is updated when they change.',
      ].join('\n'),
    },
    {
      slug: 'consent',
      title: 'Declaration of consent to the processing of personal data',
      kind: 'consent',
      body: [
        `I consent to ${f.storeName} processing my name and email address to send me news and offers from the marketplace and its sellers, and to tailor them to my interests.`,
        '',
        'This consent is optional: the store works the same without it. I may withdraw it at any time from my account’s Privacy page or by the link in every message, without affecting what was done before.',
        '',
        controller(f),
      ].join('\n'),
    },
  ];
}
