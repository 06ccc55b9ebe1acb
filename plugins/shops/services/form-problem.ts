import type { FieldErrors } from '@agora/core';

/** Input that passed the schema but not the database (a slug taken, a category gone): re-render with 422. */
export class FormProblem extends Error {
  constructor(readonly errors: FieldErrors) {
    super(Object.values(errors)[0] ?? 'Invalid input');
  }
}
