/**
 * The hooks core/auth fires. Listeners receive the session shape of the user (never the password hash).
 * `changedFields` names columns (`first_name`, `email`, `role`, `password`...), so a listener can ignore
 * changes it does not care about.
 */
declare module '../hooks' {
  interface ActionMap {
    /** After registration; the person is about to be logged in. */
    'core.user.registered': [user: Express.User];
    /** After login or registration; `guestSession` is what the visitor's session held before it was replaced. */
    'core.user.logged_in': [user: Express.User, context: { guestSession: Record<string, unknown> }];
    'core.user.logged_out': [userId: number];
    'core.user.updated': [user: Express.User, changedFields: string[]];
    'core.user.email.verified': [user: Express.User];
    'core.user.role.changed': [userId: number, from: string, to: string];
    /** After the privacy registry's erasers ran for a person who closed their account. */
    'core.user.deleted': [userId: number, email: string];
  }
}

export {};
