import { DataTypes, type Model, type ModelAttributeColumnOptions, type ModelStatic, type Sequelize } from 'sequelize';
import { DataKeyError, DataKeyring } from './data-keys';

declare module 'sequelize' {
  interface ModelAttributeColumnOptions {
    /** This column is stored encrypted (`encryptedAttribute`): never filter or sort on it in SQL. */
    encrypted?: boolean;
  }
}

// One keyring per database connection: each test app (and each store) has its own keys, and a model
// reads the keys of the database it is bound to at the moment of the read.
const keyrings = new WeakMap<Sequelize, DataKeyring>();

/** Binds the keys of a store to its database connection (createPlatform does it before any migration). */
export function bindDataKeys(sequelize: Sequelize, keyring: DataKeyring): void {
  keyrings.set(sequelize, keyring);
}

/** The keys bound to a database connection; throws when none are (a model used before createPlatform). */
export function dataKeysOf(sequelize: Sequelize | undefined): DataKeyring {
  const keyring = sequelize ? keyrings.get(sequelize) : undefined;
  if (!keyring) throw new DataKeyError('No data encryption keys are bound to this database connection');
  return keyring;
}

function sequelizeOf(instance: Model): Sequelize | undefined {
  return (instance.constructor as ModelStatic<Model>).sequelize;
}

/**
 * A model attribute stored encrypted (AES-256-GCM, see DataKeyring) and read back as plain text:
 * `phone: encryptedAttribute({ allowNull: false, defaultValue: '', personal: true })`. The column is TEXT
 * (a ciphertext is about 60 characters longer than its value). An empty string and null are stored as they are
 * (they say nothing about the person). The value is encrypted when set, so `create`, `update`, `save` and
 * static `Model.update` all write ciphertext; SQL `where`, `order` and `LIKE` on the column cannot work.
 */
export function encryptedAttribute(options: Omit<ModelAttributeColumnOptions, 'type' | 'get' | 'set'> = {}): ModelAttributeColumnOptions {
  return {
    ...options,
    type: DataTypes.TEXT,
    encrypted: true,
    get(this: Model, key?: string) {
      const stored = this.getDataValue(key as never) as unknown;
      if (typeof stored !== 'string' || !DataKeyring.isEncrypted(stored)) return stored;
      return dataKeysOf(sequelizeOf(this)).decrypt(stored);
    },
    set(this: Model, value: unknown, key?: string) {
      const attr = key as never;
      if (typeof value !== 'string' || value === '' || DataKeyring.isEncrypted(value)) {
        this.setDataValue(attr, value as never);
        return;
      }
      const stored = this.getDataValue(attr) as unknown;
      const keys = dataKeysOf(sequelizeOf(this));
      // Setting the same value again must not make a row look changed (a new IV is a new ciphertext).
      if (typeof stored === 'string' && DataKeyring.keyIdOf(stored) === keys.currentId && keys.decrypt(stored) === value) return;
      this.setDataValue(attr, keys.encrypt(value) as never);
    },
  };
}
