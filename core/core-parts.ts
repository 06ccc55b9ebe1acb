import { z } from 'zod';
import type { Platform } from './platform';
import { registerAccountPrivacy } from './auth/account-privacy';
import { isStoreLink } from './mail/mail-layout';

/** What core itself registers through the same registries plugins use: capabilities, admin menu, settings, privacy. */
export function registerCoreParts(platform: Platform): void {
  const { capabilities: caps, admin, settings } = platform;
  caps.register('core', 'core.admin.access', 'Open the admin panel', ['admin', 'moderator']);
  caps.register('core', 'core.plugins.manage', 'Install, activate and remove plugins', ['admin']);
  caps.register('core', 'core.themes.manage', 'Switch themes and read the template overrides report', ['admin']);
  caps.register('core', 'core.users.manage', 'Change users and their roles', ['admin']);
  caps.register('core', 'core.settings.manage', 'Change site settings', ['admin']);
  caps.register('core', 'core.outbox.read', 'Read the mail outbox', ['admin']);

  admin.addMenuItem({ owner: 'core', id: 'dashboard', label: 'Dashboard', href: '/admin', capability: 'core.admin.access', order: 0 });
  admin.addMenuItem({ owner: 'core', id: 'plugins', label: 'Plugins', href: '/admin/plugins', capability: 'core.plugins.manage', order: 80 });
  admin.addMenuItem({ owner: 'core', id: 'themes', label: 'Themes', href: '/admin/themes', capability: 'core.themes.manage', order: 81 });
  admin.addMenuItem({ owner: 'core', id: 'overrides', label: 'Template overrides', href: '/admin/themes/overrides', capability: 'core.themes.manage', order: 82 });
  admin.addMenuItem({ owner: 'core', id: 'users', label: 'Users', href: '/admin/users', capability: 'core.users.manage', order: 83 });
  admin.addMenuItem({ owner: 'core', id: 'settings', label: 'Settings', href: '/admin/settings', capability: 'core.settings.manage', order: 90 });
  admin.addMenuItem({ owner: 'core', id: 'hooks', label: 'Hooks', href: '/admin/hooks', capability: 'core.plugins.manage', order: 91 });
  admin.addMenuItem({ owner: 'core', id: 'outbox', label: 'Outbox', href: '/admin/outbox', capability: 'core.outbox.read', order: 92 });

  settings.define('core', {
    title: 'General',
    fields: [
      { key: 'siteName', label: 'Site name', type: 'text' },
      { key: 'tagline', label: 'Tagline', type: 'text', help: 'One line under the store\'s name on the home page.' },
      { key: 'minimumAge', label: 'Minimum age to register', type: 'number', help: 'Younger people cannot open an account.' },
      { key: 'adultAge', label: 'Age of majority', type: 'number', help: 'Between the minimum age and this, a parent or guardian must hold the account.' },
      { key: 'storeAddress', label: 'Postal address', type: 'textarea', help: 'Shown in the footer of every email (one line per line).' },
      { key: 'contactEmail', label: 'Contact email', type: 'email', help: 'Shown in the footer of every page, for shoppers\' questions.' },
      { key: 'logoUrl', label: 'Logo address', type: 'text', help: 'Shown at the top of every email: https://… or a path on this site such as /assets/logo.png.' },
      { key: 'termsUrl', label: 'Terms link', type: 'text', help: 'Linked from every email: https://… or a path such as /privacy/policies/terms.' },
      { key: 'privacyUrl', label: 'Privacy policy link', type: 'text', help: 'Linked from every email: https://… or a path such as /privacy/policies/privacy.' },
    ],
    schema: z
      .object({
        siteName: z.string().min(1, 'Give the site a name').max(80).default('Agora'),
        tagline: z.string().max(160, 'Keep the tagline under 160 characters').default('Handmade and small-batch goods from independent shops.'),
        minimumAge: z.number({ message: 'Enter a whole number' }).int('Enter a whole number').min(0).max(30).default(16),
        adultAge: z.number({ message: 'Enter a whole number' }).int('Enter a whole number').min(0).max(30).default(18),
        storeAddress: z.string().max(500, 'Keep the address under 500 characters').default(''),
        contactEmail: z.union([z.literal(''), z.email('Enter an email address such as help@example.com')]).default(''),
        logoUrl: z.string().max(500).refine(isStoreLink, 'Enter an https:// address or a path on this site').default(''),
        termsUrl: z.string().max(500).refine(isStoreLink, 'Enter an https:// address or a path on this site').default(''),
        privacyUrl: z.string().max(500).refine(isStoreLink, 'Enter an https:// address or a path on this site').default(''),
      })
      .refine((s) => s.adultAge >= s.minimumAge, { message: 'The age of majority cannot be below the minimum age', path: ['adultAge'] }),
  });
  platform.hooks.on('core', 'core.settings.saved', async (owner) => {
    if (owner === 'core') await platform.options.set('site.name', settings.get<{ siteName: string }>('core').siteName);
  });

  registerAccountPrivacy(platform);
}
