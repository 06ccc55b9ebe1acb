import type { FieldErrors } from '../http/validation';

/**
 * Thrown by an extension's `commit` to refuse the form with a message the person can act on (a code no longer
 * valid, a service that said no). The owner's transaction rolls back and the form is shown again with 422.
 */
export class FormSectionError extends Error {
  readonly errors: FieldErrors;

  constructor(message: string, field?: string) {
    super(message);
    this.name = 'FormSectionError';
    this.errors = { [field ?? 'form']: message };
  }
}
