import type { Sequelize } from 'sequelize';
import type { User } from '../../../core/auth/user-model';

/**
 * Core's User model as the running app initialised it. Importing the class would do in production, but a
 * plugin may hold its own copy of core's modules (the test runner loads core as CommonJS and plugins as ES
 * modules), whose model was never initialised; the instance registered on the database is always the live one.
 */
export function userModel(sequelize: Sequelize): typeof User {
  const model = sequelize.models.User;
  if (!model) throw new Error('The User model is not initialised');
  return model as typeof User;
}
