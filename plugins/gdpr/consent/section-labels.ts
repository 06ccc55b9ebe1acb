/** Names people know the forms by; a section declared with a label of its own keeps it. */
const KNOWN: Record<string, string> = {
  'core.register': 'User registration',
  'core.login.after': 'Re-consent after login',
  'core.account.profile': 'Account profile',
  'shops.checkout': 'Completing an order (checkout)',
  'messaging.contact': 'Contact form (messaging)',
  'newsletter.signup': 'Newsletter signup',
  'reviews.review': 'Reviews',
  cookies: 'Cookie banner',
  account: 'Account privacy page',
};

export function sectionLabel(name: string, declared?: string): string {
  if (declared && declared !== name) return declared;
  return KNOWN[name] ?? name;
}

/** Sections gdpr leaves alone (the profile form asks nothing of policies): not extended, not in the admin. */
export const UNEXTENDED: ReadonlySet<string> = new Set(['core.account.profile']);
