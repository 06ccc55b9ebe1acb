/** A reason a message is not sent that the sender can act on: shown on the same form (422, or 429 for a limit). */
export class MessagingRefusal extends Error {
  constructor(
    message: string,
    readonly field = 'form',
    readonly status: 422 | 429 | 403 = 422,
  ) {
    super(message);
    this.name = 'MessagingRefusal';
  }
}
