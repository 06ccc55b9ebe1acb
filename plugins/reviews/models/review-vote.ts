import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/** "This review helped me": one per person and review (the unique index makes a double click count once). */
export class ReviewVote extends Model<InferAttributes<ReviewVote>, InferCreationAttributes<ReviewVote>> {
  declare id: CreationOptional<number>;
  declare review_id: number;
  declare user_id: number;
  declare created_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof ReviewVote {
    return ReviewVote.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        review_id: { type: DataTypes.INTEGER, allowNull: false },
        user_id: { type: DataTypes.INTEGER, allowNull: false },
        created_at: DataTypes.DATE,
      },
      {
        sequelize,
        tableName: 'reviews_votes',
        modelName: 'ReviewVote',
        underscored: true,
        createdAt: 'created_at',
        updatedAt: false,
        indexes: [
          { name: 'reviews_votes_once', unique: true, fields: ['review_id', 'user_id'] },
          { name: 'reviews_votes_user', fields: ['user_id'] },
        ],
      },
    );
  }
}
