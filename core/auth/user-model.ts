import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';
import '../privacy/personal-data';
import { encryptedAttribute } from '../privacy/encryption/encrypted-attribute';
import type { Role } from './capabilities';
import { AuthToken } from './token-model';

export class User extends Model<InferAttributes<User>, InferCreationAttributes<User>> {
  declare id: CreationOptional<number>;
  /** Chosen at registration and never changed: links, mentions and logs keep pointing at the same person. */
  declare username: string;
  declare email: string;
  declare first_name: string;
  declare last_name: string;
  /** What the public sees. */
  declare display_name: string;
  declare password_hash: string;
  declare birth_date: string | null;
  declare guardian_confirmed: CreationOptional<boolean>;
  declare role: CreationOptional<Role>;
  declare email_verified_at: CreationOptional<Date | null>;
  declare pending_email: CreationOptional<string | null>;
  /** Raised to end every session of this person at once (password reset); sessions store the value they began with. */
  declare session_version: CreationOptional<number>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof User {
    // The account's tokens live and die with it; initialising them here binds both to the same database.
    AuthToken.initModel(sequelize);
    return User.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        username: { type: DataTypes.STRING(40), allowNull: false, unique: true, personal: true },
        email: { type: DataTypes.STRING(320), allowNull: false, unique: true, personal: true },
        first_name: { type: DataTypes.STRING(100), allowNull: false, personal: true },
        last_name: { type: DataTypes.STRING(100), allowNull: false, personal: true },
        display_name: { type: DataTypes.STRING(100), allowNull: false, personal: true },
        password_hash: { type: DataTypes.STRING(255), allowNull: false },
        // Encrypted at rest (YYYY-MM-DD inside): nothing may filter or sort on it in SQL.
        birth_date: encryptedAttribute({ allowNull: true, personal: true }),
        guardian_confirmed: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        role: { type: DataTypes.STRING(20), allowNull: false, defaultValue: 'customer' },
        email_verified_at: { type: DataTypes.DATE, allowNull: true },
        pending_email: { type: DataTypes.STRING(320), allowNull: true, personal: true },
        session_version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        created_at: DataTypes.DATE,
        updated_at: DataTypes.DATE,
      },
      {
        sequelize,
        tableName: 'users',
        modelName: 'User',
        underscored: true,
        createdAt: 'created_at',
        updatedAt: 'updated_at',
        hooks: {
          beforeUpdate(user) {
            if (user.changed('username')) throw new Error('A username can never be changed');
          },
        },
      },
    );
  }
}
