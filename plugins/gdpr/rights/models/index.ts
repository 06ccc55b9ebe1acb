import type { Sequelize } from 'sequelize';
import { RightsRequest } from './rights-request';
import { RightsRequestEvent } from './rights-request-event';
import { RetentionRun } from './retention-run';
import { Breach } from './breach';

export function initRightsModels(sequelize: Sequelize): void {
  RightsRequest.initModel(sequelize);
  RightsRequestEvent.initModel(sequelize);
  RetentionRun.initModel(sequelize);
  Breach.initModel(sequelize);
}

export { RightsRequest, RightsRequestEvent, RetentionRun, Breach };
