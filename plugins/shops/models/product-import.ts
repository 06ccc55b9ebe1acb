import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/**
 * Where an import is: `previewed` (read and planned, waiting for the seller), `queued` (confirmed: the
 * claim), `running` (the job applies its rows), `done`, `failed` (the job gave up; rows applied so far
 * stay), or `discarded` (the seller threw the preview away).
 */
export const IMPORT_STATUSES = ['previewed', 'queued', 'running', 'done', 'failed', 'discarded'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/** One CSV of products uploaded by a seller, from its preview to the job's report. */
export class ProductImport extends Model<InferAttributes<ProductImport>, InferCreationAttributes<ProductImport>> {
  declare id: CreationOptional<number>;
  declare shop_id: number;
  /** Who uploaded it (a member of the shop). */
  declare user_id: number | null;
  declare filename: string;
  declare status: ImportStatus;
  declare total_rows: CreationOptional<number>;
  declare processed_rows: CreationOptional<number>;
  declare created_count: CreationOptional<number>;
  declare updated_count: CreationOptional<number>;
  declare unchanged_count: CreationOptional<number>;
  declare error_count: CreationOptional<number>;
  /** Why the job gave up (status failed). */
  declare failure: CreationOptional<string | null>;
  declare confirmed_at: CreationOptional<Date | null>;
  declare finished_at: CreationOptional<Date | null>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof ProductImport {
    return ProductImport.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        shop_id: { type: DataTypes.INTEGER, allowNull: false },
        user_id: { type: DataTypes.INTEGER, allowNull: true },
        filename: { type: DataTypes.STRING(200), allowNull: false },
        status: { type: DataTypes.STRING(20), allowNull: false },
        total_rows: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        processed_rows: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        created_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        updated_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        unchanged_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        error_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        failure: { type: DataTypes.STRING(500), allowNull: true },
        confirmed_at: { type: DataTypes.DATE, allowNull: true },
        finished_at: { type: DataTypes.DATE, allowNull: true },
        created_at: DataTypes.DATE,
        updated_at: DataTypes.DATE,
      },
      { sequelize, tableName: 'product_imports', modelName: 'ProductImport', underscored: true, createdAt: 'created_at', updatedAt: 'updated_at' },
    );
  }
}

/** What the preview planned for a row, and so what the job will try. */
export type ImportPlan = 'create' | 'update' | 'unchanged' | 'error';
/** What the job did with it (`pending` until then). */
export type ImportOutcome = 'pending' | 'created' | 'updated' | 'unchanged' | 'failed';

/** One data row of an import's CSV: its cells as read, the plan, and the outcome. */
export class ProductImportRow extends Model<InferAttributes<ProductImportRow>, InferCreationAttributes<ProductImportRow>> {
  declare id: CreationOptional<number>;
  declare import_id: number;
  /** The row's number in the file as a spreadsheet shows it (the header is row 1). */
  declare line: number;
  /** The row's cells by column name (JSON), only the columns the file has. */
  declare cells: string;
  declare planned: ImportPlan;
  declare outcome: CreationOptional<ImportOutcome>;
  declare product_id: number | null;
  declare sku: string | null;
  declare title: CreationOptional<string>;
  /** Why the row is refused (plan or outcome), or what changed (an update). */
  declare message: string | null;

  static initModel(sequelize: Sequelize): typeof ProductImportRow {
    return ProductImportRow.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        import_id: { type: DataTypes.INTEGER, allowNull: false },
        line: { type: DataTypes.INTEGER, allowNull: false },
        cells: { type: DataTypes.TEXT, allowNull: false },
        planned: { type: DataTypes.STRING(12), allowNull: false },
        outcome: { type: DataTypes.STRING(12), allowNull: false, defaultValue: 'pending' },
        product_id: { type: DataTypes.INTEGER, allowNull: true },
        sku: { type: DataTypes.STRING(64), allowNull: true },
        title: { type: DataTypes.STRING(200), allowNull: false, defaultValue: '' },
        message: { type: DataTypes.STRING(1000), allowNull: true },
      },
      {
        sequelize,
        tableName: 'product_import_rows',
        modelName: 'ProductImportRow',
        timestamps: false,
        indexes: [{ name: 'product_import_rows_line', unique: true, fields: ['import_id', 'line'] }],
      },
    );
  }
}
