import { QueryTypes, type Sequelize } from 'sequelize';

/**
 * After migrations changed the schema of a SQLite store that has planner statistics (`ANALYZE` was run, as
 * bench:generate does), refreshes them. SQLite never gathers them by itself, and an index added after the
 * last ANALYZE has none: the planner then takes it for very selective and prefers it to the right one (the
 * catalog's newest-first page fell from 1 ms to 800 ms that way, sorting every product). PostgreSQL's
 * autovacuum analyzes on its own; a store without statistics plans without them, as before.
 */
export async function refreshPlannerStatistics(sequelize: Sequelize): Promise<void> {
  if (sequelize.getDialect() !== 'sqlite') return;
  const [stat] = await sequelize.query<{ n: number }>("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'sqlite_stat1'", { type: QueryTypes.SELECT });
  if (Number(stat?.n ?? 0) > 0) await sequelize.query('ANALYZE');
}
