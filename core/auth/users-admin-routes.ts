import express, { type Router } from 'express';
import { Op } from 'sequelize';
import { z } from 'zod';
import type { Platform } from '../platform';
import { ROLES } from './capabilities';
import { User } from './user-model';
import { notFound } from '../http/errors';
import { parseForm } from '../http/validation';
import { pageFrom, pager } from '../http/pagination';
import './hooks';

/** `/admin/users`: find people and change their role (behind `core.users.manage`, checked where this is mounted). */
export function usersAdminRoutes(platform: Platform): Router {
  const router = express.Router();

  router.get('/', async (req, res) => {
    const q = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 100) : '';
    const { page, perPage, offset } = pageFrom(req.query, 50);
    const where = q ? { [Op.or]: [{ email: { [Op.like]: `%${q}%` } }, { username: { [Op.like]: `%${q.toLowerCase()}%` } }, { display_name: { [Op.like]: `%${q}%` } }] } : {};
    const { rows, count } = await User.findAndCountAll({ where, order: [['id', 'ASC']], limit: perPage, offset });
    await res.renderPage('core/admin/users', { title: 'Users', users: rows, q, roles: ROLES, pager: pager('/admin/users', req.query as Record<string, unknown>, { page, perPage, total: count, noun: 'users' }) });
  });

  router.post('/:id/role', async (req, res) => {
    const id = String(req.params.id);
    const user = /^[1-9]\d{0,9}$/.test(id) ? await User.findByPk(Number(id)) : null;
    if (!user) throw notFound('user');
    const parsed = parseForm(z.object({ role: z.enum(ROLES, 'Choose one of the roles') }), req.body);
    if (!parsed.ok) {
      res.flash('error', parsed.errors.role ?? 'Choose a role.');
      return res.redirect(303, '/admin/users');
    }
    if (user.id === req.user!.id && parsed.data.role !== 'admin') {
      res.flash('error', 'You cannot take the admin role from yourself; ask another admin.');
      return res.redirect(303, '/admin/users');
    }
    // The person's own session gets a new id on their next request (see the auth routes).
    await platform.roles.setRole(req, user.id, parsed.data.role);
    res.flash('success', `${user.display_name} is now ${parsed.data.role}.`);
    res.redirect(303, '/admin/users');
  });

  return router;
}
