import { User } from '../../../core/auth/user-model';
import * as models from '../../../plugins/shops/models';

const { initShopModels: _init, ...classes } = models;

/** Core's User and every shops model: tests load as ES modules, so these are the classes the running plugin initialised. */
export function shopModels() {
  return { User, ...classes };
}
