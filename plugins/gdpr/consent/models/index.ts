import type { Sequelize } from 'sequelize';
import { Policy } from './policy';
import { PolicyVersion } from './policy-version';
import { SectionPolicy } from './section-policy';
import { RegisterEntry } from './register-entry';
import { ConsentIdentity } from './consent-identity';
import { RegisterHead } from './register-head';
import { ThirdPartyCookie } from './third-party-cookie';

export { Policy, PolicyVersion, SectionPolicy, RegisterEntry, ConsentIdentity, RegisterHead, ThirdPartyCookie };

export function initConsentModels(sequelize: Sequelize): void {
  Policy.initModel(sequelize);
  PolicyVersion.initModel(sequelize);
  SectionPolicy.initModel(sequelize);
  RegisterEntry.initModel(sequelize);
  ConsentIdentity.initModel(sequelize);
  RegisterHead.initModel(sequelize);
  ThirdPartyCookie.initModel(sequelize);
}
