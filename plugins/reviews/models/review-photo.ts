import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** A photo of a review: two private files (full size and thumbnail), served only once the review is approved. */
export class ReviewPhoto extends Model<InferAttributes<ReviewPhoto>, InferCreationAttributes<ReviewPhoto>> {
  declare id: CreationOptional<number>;
  declare review_id: number;
  declare file_id: string;
  declare thumb_file_id: string;
  declare position: number;
  declare created_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof ReviewPhoto {
    return ReviewPhoto.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        review_id: { type: DataTypes.INTEGER, allowNull: false },
        file_id: { type: DataTypes.STRING(64), allowNull: false },
        thumb_file_id: { type: DataTypes.STRING(64), allowNull: false },
        position: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        created_at: DataTypes.DATE,
      },
      {
        sequelize,
        tableName: 'reviews_photos',
        modelName: 'ReviewPhoto',
        underscored: true,
        createdAt: 'created_at',
        updatedAt: false,
        indexes: [{ name: 'reviews_photos_review', fields: ['review_id', 'position'] }],
      },
    );
  }
}
