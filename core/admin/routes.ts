import express, { type Router } from 'express';
import multer from 'multer';
import { z } from 'zod';
import type { Platform } from '../platform';
import { requireCapability } from '../http/guards';
import { HttpError, notFound } from '../http/errors';
import { parseForm } from '../http/validation';
import { PluginError } from '../plugins/plugin-manager';
import { PluginUploadError } from '../plugins/zip-installer';
import { multerReadingKeptBody, unreadableForm } from '../files/multipart';
import type { ProxyWarning } from '../http/proxy-check';
import { overrideReport } from '../themes/override-report';
import { moneyInput } from './settings-registry';
import { ThemeError } from '../themes/theme-service';
import { usersAdminRoutes } from '../auth/users-admin-routes';

/** The admin shell: dashboard, plugins, themes, overrides, settings, hooks and outbox. */
export function adminRoutes(platform: Platform): Router {
  const router = express.Router();
  const cap = (c: string) => requireCapability(platform.capabilities, c);
  // Core's admin script, from the top-level public/ folder (/assets), on admin pages only.
  if (!platform.assets.allScripts().some((x) => x.owner === 'core' && x.src === '/assets/admin.js')) {
    platform.assets.addScript({ owner: 'core', src: '/assets/admin.js', consent: 'necessary', templates: 'core/admin' });
  }
  router.use(cap('core.admin.access'));
  router.use((req, res, next) => {
    res.locals.adminMenu = platform.admin.menu().filter((item) => req.user && platform.capabilities.roleHas(req.user.role, item.capability));
    next();
  });

  router.get('/', async (req, res) => {
    const widgets = [];
    for (const w of platform.admin.dashboardWidgets()) {
      if (!(await platform.capabilities.can(req.user, w.capability))) continue;
      let html: string;
      try {
        html = await w.render(req);
      } catch {
        html = '<p class="muted">This widget failed to load; see the log.</p>';
      }
      widgets.push({ title: w.title, owner: w.owner, html });
    }
    const problems = platform.plugins.list().filter((p) => p.problem);
    // Links on the dashboard go only where the viewer may go (a moderator cannot open the plugins page).
    const mayManagePlugins = await platform.capabilities.can(req.user, 'core.plugins.manage');
    // Set by core/app.ts: Secure cookies, and a request that reached Agora without "X-Forwarded-Proto: https".
    const proxyWarning = (req.app.locals.proxyWarning as (() => ProxyWarning | undefined) | undefined)?.();
    await res.renderPage('core/admin/dashboard', { title: 'Dashboard', widgets, problems, mayManagePlugins, proxyWarning, failures: platform.hooks.recentFailures.slice(0, 10) });
  });

  // Plugins
  const upload = multerReadingKeptBody({ storage: multer.memoryStorage(), limits: { fileSize: platform.config.PLUGIN_ZIP_MAX_BYTES + 1, files: 1 } });
  const pluginsPage = async (res: express.Response, status = 200, extra: Record<string, unknown> = {}) => {
    const plugins = platform.plugins.list().map((p) => ({
      ...p,
      dependents: platform.plugins.dependents(p.manifest.name),
      requires: Object.entries(p.manifest.requires.plugins).map(([name, range]) => ({ name, range, ok: platform.plugins.isActive(name) })),
    }));
    await res.renderPage('core/admin/plugins', { title: 'Plugins', plugins, maxUploadMb: (platform.config.PLUGIN_ZIP_MAX_BYTES / 1048576).toFixed(0), ...extra }, status);
  };
  router.get('/plugins', cap('core.plugins.manage'), async (_req, res) => pluginsPage(res));

  router.post('/plugins/upload', cap('core.plugins.manage'), (req, res, next) => {
    upload.single('plugin')(req, res, async (uploadError: unknown) => {
      try {
        if (uploadError instanceof multer.MulterError && uploadError.code === 'LIMIT_FILE_SIZE') {
          throw new PluginUploadError(`The file is larger than ${(platform.config.PLUGIN_ZIP_MAX_BYTES / 1048576).toFixed(1)} MB; plugins may be at most that size.`);
        }
        if (uploadError instanceof multer.MulterError) throw new PluginUploadError('Upload one .zip file, chosen in the plugin field of the form.');
        if (uploadError) throw unreadableForm();
        if (!req.file) throw new PluginUploadError('Choose a .zip file to upload.');
        if (!/\.zip$/i.test(req.file.originalname)) throw new PluginUploadError('Upload a plugin as a .zip file.');
        const manifest = await platform.plugins.installZip(req.file.buffer);
        res.flash('success', `"${manifest.title}" ${manifest.version} was installed. Activate it when you are ready.`);
        res.redirect(303, '/admin/plugins');
      } catch (error) {
        if (error instanceof PluginUploadError) return pluginsPage(res, 422, { uploadError: error.message }).catch(next);
        next(error);
      }
    });
  });

  const pluginAction = (action: 'activate' | 'deactivate', done: string) =>
    router.post(`/plugins/:name/${action}`, cap('core.plugins.manage'), async (req, res) => {
      const name = String(req.params.name);
      const record = platform.plugins.get(name);
      if (!record) throw notFound('plugin');
      try {
        await platform.plugins[action](name);
        res.flash('success', `"${record.manifest.title}" ${done}.`);
        res.redirect(303, '/admin/plugins');
      } catch (error) {
        if (!(error instanceof PluginError)) throw error;
        await pluginsPage(res, 409, { actionError: error.message });
      }
    });
  pluginAction('activate', 'is active');

  // Deactivating asks first, naming what goes: its pages (503 "temporarily unavailable" while it is off) and
  // the active plugins that need it (which must go first).
  const deactivatePage = async (res: express.Response, name: string, status = 200, errors: Record<string, string> = {}) => {
    const record = platform.plugins.get(name);
    if (!record) throw notFound('plugin');
    const dependents = platform.plugins.dependents(name).map((d) => ({ name: d, title: platform.plugins.get(d)?.manifest.title ?? d }));
    await res.renderPage('core/admin/plugin-deactivate', { title: `Deactivate ${record.manifest.title}`, plugin: record, dependents, pages: platform.plugins.pages(name), errors }, status);
  };
  router.get('/plugins/:name/deactivate', cap('core.plugins.manage'), async (req, res) => deactivatePage(res, String(req.params.name)));
  router.post('/plugins/:name/deactivate', cap('core.plugins.manage'), async (req, res) => {
    const name = String(req.params.name);
    const record = platform.plugins.get(name);
    if (!record) throw notFound('plugin');
    const parsed = parseForm(z.object({ confirm: z.literal('yes', 'Confirm that you want to deactivate it with the button on this page.') }), req.body);
    if (!parsed.ok) return deactivatePage(res, name, 422, { form: parsed.errors.confirm ?? 'Confirm that you want to deactivate it with the button on this page.' });
    try {
      await platform.plugins.deactivate(name);
    } catch (error) {
      if (!(error instanceof PluginError)) throw error;
      return pluginsPage(res, 409, { actionError: error.message });
    }
    res.flash('success', `"${record.manifest.title}" is inactive. Its pages answer "temporarily unavailable" until it is activated again.`);
    res.redirect(303, '/admin/plugins');
  });

  router.get('/plugins/:name/uninstall', cap('core.plugins.manage'), async (req, res) => {
    const record = platform.plugins.get(String(req.params.name));
    if (!record) throw notFound('plugin');
    await res.renderPage('core/admin/plugin-uninstall', { title: `Uninstall ${record.manifest.title}`, plugin: record });
  });
  router.post('/plugins/:name/uninstall', cap('core.plugins.manage'), async (req, res) => {
    const name = String(req.params.name);
    const record = platform.plugins.get(name);
    if (!record) throw notFound('plugin');
    const parsed = parseForm(z.object({ confirm: z.literal(name, `Type "${name}" to confirm`) }), req.body);
    if (!parsed.ok) {
      return res.renderPage('core/admin/plugin-uninstall', { title: `Uninstall ${record.manifest.title}`, plugin: record, errors: parsed.errors }, 422);
    }
    try {
      await platform.plugins.uninstall(name);
    } catch (error) {
      if (!(error instanceof PluginError)) throw error;
      return res.renderPage('core/admin/plugin-uninstall', { title: `Uninstall ${record.manifest.title}`, plugin: record, errors: { form: error.message } }, 409);
    }
    res.flash('success', `"${record.manifest.title}" was uninstalled and its data removed.`);
    res.redirect(303, '/admin/plugins');
  });

  // Themes
  const themesPage = (res: express.Response, status = 200, extra: Record<string, unknown> = {}) =>
    res.renderPage('core/admin/themes', { title: 'Themes', themes: platform.themes.list(), active: platform.themes.activeName(), ...extra }, status);
  router.get('/themes', cap('core.themes.manage'), async (_req, res) => themesPage(res));
  router.post('/themes/:name/activate', cap('core.themes.manage'), async (req, res) => {
    const theme = platform.themes.get(String(req.params.name));
    if (!theme) throw notFound('theme');
    try {
      await platform.themes.activate(theme.name);
    } catch (error) {
      if (!(error instanceof ThemeError)) throw error;
      return themesPage(res, 409, { actionError: error.message });
    }
    res.flash('success', `"${theme.title}" is now the active theme.`);
    res.redirect(303, '/admin/themes');
  });
  router.get('/themes/overrides', cap('core.themes.manage'), async (_req, res) => {
    const entries = overrideReport(platform.resolver.themeChain(), platform.resolver);
    await res.renderPage('core/admin/overrides', { title: 'Template overrides', entries, theme: platform.themes.active() });
  });

  // Settings
  router.get('/settings', cap('core.settings.manage'), async (_req, res) => {
    await res.renderPage('core/admin/settings-index', { title: 'Settings', owners: platform.settings.owners() });
  });
  const settingsForm = async (res: express.Response, owner: string, values: Record<string, unknown>, errors: Record<string, string>, status: number) => {
    const def = platform.settings.definition(owner);
    if (!def) throw notFound('settings page');
    // A money setting is stored in minor units and typed in the currency: 30 shows as "0.30".
    const shown = Object.fromEntries(Object.entries(values).map(([k, v]) => {
      const field = def.fields.find((f) => f.key === k);
      return [k, field?.type === 'money' && field.currency ? moneyInput(v, field.currency) : v];
    }));
    // A secret never goes back to the browser, not even the one just typed: the form shows its mask.
    for (const f of def.fields) if (f.type === 'secret') shown[f.key] = '';
    await res.renderPage('core/admin/settings', { title: `${def.title} settings`, owner, def, values: shown, masked: platform.settings.masked(owner), errors }, status);
  };
  router.get('/settings/:owner', cap('core.settings.manage'), async (req, res) => {
    const owner = String(req.params.owner);
    if (!platform.settings.definition(owner)) throw notFound('settings page');
    await settingsForm(res, owner, platform.settings.get(owner), {}, 200);
  });
  router.post('/settings/:owner', cap('core.settings.manage'), async (req, res) => {
    const owner = String(req.params.owner);
    if (!platform.settings.definition(owner)) throw notFound('settings page');
    const result = await platform.settings.save(owner, req.body as Record<string, unknown>);
    if (!result.ok) return settingsForm(res, owner, req.body as Record<string, unknown>, result.errors, 422);
    await platform.hooks.do('core.settings.saved', owner);
    res.flash('success', 'Settings saved.');
    res.redirect(303, `/admin/settings/${owner}`);
  });

  router.get('/hooks', cap('core.plugins.manage'), async (_req, res) => {
    await res.renderPage('core/admin/hooks', { title: 'Hooks', hooks: platform.hooks.all(), failures: platform.hooks.recentFailures });
  });

  router.get('/outbox', cap('core.outbox.read'), async (_req, res) => {
    await res.renderPage('core/admin/outbox', { title: 'Outbox', messages: await platform.mailer.list(200), smtp: !!platform.config.SMTP_URL });
  });
  router.get('/outbox/:id', cap('core.outbox.read'), async (req, res) => {
    const id = Number(req.params.id);
    const message = Number.isInteger(id) ? (await platform.mailer.list(1, 0, id))[0] : undefined;
    if (!message) throw new HttpError(404, 'No such message.');
    await res.renderPage('core/admin/outbox-message', { title: message.subject, message });
  });

  router.use('/users', cap('core.users.manage'), usersAdminRoutes(platform));
  return router;
}
