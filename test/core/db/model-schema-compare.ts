import type { Model, ModelAttributeColumnOptions, ModelStatic, QueryInterface } from 'sequelize';

/**
 * Compares a Sequelize model with the table its migrations built: each model is written twice (in its
 * migration and in its class), and this is what keeps the two from drifting. Types are compared as
 * families normalised per dialect (VARCHAR(200) on SQLite and CHARACTER VARYING(200) on PostgreSQL are
 * both a string of 200), with string lengths; nullability; and indexes both ways for uniqueness.
 */
export type Dialect = 'sqlite' | 'postgres';

interface DescribedColumn {
  type: string;
  allowNull: boolean;
  primaryKey: boolean;
}

interface DbIndex {
  name: string;
  unique: boolean;
  primary: boolean;
  fields: string[];
}

/** The family of a model attribute's type, with the string length where it has one. */
function modelType(attribute: ModelAttributeColumnOptions): { family: string; length?: number } {
  const type = attribute.type as unknown as { key: string; options?: { length?: number }; _length?: number };
  const key = type.key;
  const families: Record<string, string> = {
    STRING: 'string',
    CHAR: 'string',
    CITEXT: 'string',
    TEXT: 'text',
    INTEGER: 'integer',
    SMALLINT: 'integer',
    MEDIUMINT: 'integer',
    TINYINT: 'integer',
    BIGINT: 'bigint',
    BOOLEAN: 'boolean',
    DATE: 'datetime',
    DATEONLY: 'date',
    JSON: 'json',
    JSONB: 'json',
    ENUM: 'enum',
    FLOAT: 'float',
    REAL: 'float',
    DOUBLE: 'float',
    'DOUBLE PRECISION': 'float',
    DECIMAL: 'decimal',
    BLOB: 'blob',
    UUID: 'uuid',
  };
  const family = families[key] ?? `unknown:${key}`;
  if (family !== 'string') return { family };
  return { family, length: type.options?.length ?? type._length ?? 255 };
}

/** The family of a column type as describeTable reports it on the dialect. */
function columnType(raw: string, dialect: Dialect): { family: string; length?: number } {
  const type = raw.toUpperCase().trim();
  const length = /\((\d+)\)/.exec(type)?.[1];
  if (/^(VARCHAR|CHARACTER VARYING|CHAR|CHARACTER|NVARCHAR)\b/.test(type)) return { family: 'string', length: length ? Number(length) : undefined };
  if (type === 'TEXT') return { family: dialect === 'sqlite' ? 'text|enum' : 'text' };
  if (type === 'USER-DEFINED') return { family: 'enum' };
  if (/^(INTEGER|INT|SMALLINT|INT4|INT2)\b/.test(type)) return { family: 'integer' };
  if (/^(BIGINT|INT8)\b/.test(type)) return { family: 'bigint' };
  if (/^(TINYINT\(1\)|BOOLEAN)$/.test(type)) return { family: 'boolean' };
  if (/^(DATETIME|TIMESTAMP)/.test(type)) return { family: 'datetime' };
  if (type === 'DATE') return { family: 'date' };
  if (/^JSONB?$/.test(type)) return { family: 'json' };
  if (/^(FLOAT|REAL|DOUBLE)/.test(type)) return { family: 'float' };
  if (/^(DECIMAL|NUMERIC)/.test(type)) return { family: 'decimal' };
  if (/^(BLOB|BYTEA)$/.test(type)) return { family: 'blob' };
  if (type === 'UUID') return { family: 'uuid' };
  return { family: `unknown:${type}` };
}

const sameFields = (a: string[], b: string[]) => a.length === b.length && a.every((f, i) => f === b[i]);

/** What the model says about its indexes: declared ones and `unique` attributes. */
function modelIndexes(model: ModelStatic<Model>): Array<{ fields: string[]; unique: boolean; what: string }> {
  const out: Array<{ fields: string[]; unique: boolean; what: string }> = [];
  const attributes = model.getAttributes();
  const fieldOf = (name: string) => attributes[name]?.field ?? name;
  for (const index of model.options.indexes ?? []) {
    const fields = (index.fields ?? []).map((f) => fieldOf(typeof f === 'string' ? f : String((f as { name?: string; attribute?: string }).name ?? (f as { attribute?: string }).attribute)));
    out.push({ fields, unique: Boolean(index.unique), what: `index ${index.name ?? fields.join(',')}` });
  }
  const composite = new Map<string, string[]>();
  for (const [name, attribute] of Object.entries(attributes)) {
    if (!attribute.unique || attribute.primaryKey) continue;
    const field = attribute.field ?? name;
    if (typeof attribute.unique === 'string') composite.set(attribute.unique, [...(composite.get(attribute.unique) ?? []), field]);
    else if (typeof attribute.unique === 'object' && attribute.unique.name) composite.set(attribute.unique.name, [...(composite.get(attribute.unique.name) ?? []), field]);
    else out.push({ fields: [field], unique: true, what: `unique ${field}` });
  }
  for (const [name, fields] of composite) out.push({ fields, unique: true, what: `unique ${name}` });
  return out;
}

async function dbIndexes(queryInterface: QueryInterface, table: string): Promise<DbIndex[]> {
  const rows = (await queryInterface.showIndex(table)) as Array<{ name: string; unique: boolean; primary: boolean; fields: Array<{ attribute: string }> }>;
  return rows.map((r) => ({ name: r.name, unique: Boolean(r.unique), primary: Boolean(r.primary), fields: r.fields.map((f) => f.attribute) }));
}

/** Every difference between the model and its table, as sentences; none when they agree. */
export async function schemaDrift(model: ModelStatic<Model>, queryInterface: QueryInterface, dialect: Dialect): Promise<string[]> {
  const table = model.getTableName() as string;
  const problems: string[] = [];
  let described: Record<string, DescribedColumn>;
  try {
    described = (await queryInterface.describeTable(table)) as unknown as Record<string, DescribedColumn>;
  } catch {
    return [`${model.name}: table "${table}" does not exist`];
  }
  const attributes = Object.entries(model.getAttributes()).filter(([, a]) => (a.type as unknown as { key: string }).key !== 'VIRTUAL');
  const modelFields = new Set<string>();
  const timestamps = (model as unknown as { _timestampAttributes?: Record<string, string> })._timestampAttributes ?? {};
  const managed = new Set([timestamps.createdAt, timestamps.updatedAt].filter(Boolean));
  for (const [name, attribute] of attributes) {
    const field = attribute.field ?? name;
    modelFields.add(field);
    const column = described[field];
    const where = `${model.name}.${name} (${table}.${field})`;
    if (!column) {
      problems.push(`${where}: no such column in the database`);
      continue;
    }
    const expected = modelType(attribute);
    const actual = columnType(column.type, dialect);
    if (!actual.family.split('|').includes(expected.family)) problems.push(`${where}: model type ${expected.family}, database ${column.type}`);
    else if (expected.family === 'string' && actual.length !== undefined && expected.length !== actual.length) {
      problems.push(`${where}: model length ${expected.length}, database ${column.type}`);
    }
    // Sequelize itself fills createdAt/updatedAt on every write: the model never writes NULL there.
    const modelNullable = attribute.primaryKey || managed.has(name) ? false : attribute.allowNull !== false;
    if (!attribute.primaryKey && modelNullable !== column.allowNull) {
      problems.push(`${where}: model ${modelNullable ? 'allows' : 'refuses'} NULL, database ${column.allowNull ? 'allows' : 'refuses'} it`);
    }
  }
  for (const field of Object.keys(described)) if (!modelFields.has(field)) problems.push(`${model.name}: column ${table}.${field} is not in the model`);

  const indexes = await dbIndexes(queryInterface, table);
  for (const index of modelIndexes(model)) {
    const found = indexes.find((i) => sameFields(i.fields, index.fields));
    if (!found) problems.push(`${model.name}: ${index.what} on (${index.fields.join(', ')}) is not in the database`);
    else if (found.unique !== index.unique) problems.push(`${model.name}: ${index.what} is ${index.unique ? '' : 'not '}unique in the model, ${found.unique ? '' : 'not '}in the database`);
  }
  // A unique index the model does not know makes writes fail in ways the model cannot explain.
  const known = modelIndexes(model);
  const attributesByName = model.getAttributes();
  const primary = Object.entries(attributesByName).filter(([, a]) => a.primaryKey).map(([n, a]) => a.field ?? n);
  for (const index of indexes) {
    // SQLite reports the index behind a non-integer or composite primary key as a unique one of its own.
    if (!index.unique || index.primary || sameFields([...index.fields].sort(), [...primary].sort())) continue;
    if (!known.some((k) => k.unique && sameFields(k.fields, index.fields))) {
      problems.push(`${model.name}: unique index ${index.name} on (${index.fields.join(', ')}) is not declared in the model`);
    }
  }
  return problems;
}
