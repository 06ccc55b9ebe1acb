import type { Conversation } from './models/conversation';
import type { Message } from './models/message';
import type { Report } from './models/report';

/** The hooks, form section and jobs messaging declares; fired after the transaction that made the change commits. */
declare module '@agora/core' {
  interface ActionMap {
    'messaging.conversation.started': [conversation: Conversation, message: Message];
    'messaging.message.posted': [message: Message, conversation: Conversation];
    'messaging.conversation.status.changed': [conversation: Conversation, from: string, to: string];
    'messaging.conversation.reported': [report: Report, conversation: Conversation];
  }
  interface FormSectionMap {
    /**
     * The forms that open a conversation: "Contact seller" / "Contact me" (`/messages/new`, `kind: 'shop'`) and the
     * store's contact form (`/contact`, `kind: 'store'`, guests too: `viewer` null). Extensions render right before
     * "Send" and commit in the transaction that writes the conversation and its first message.
     */
    'messaging.contact': {
      render: { viewer: Express.User | null; kind: 'shop' | 'store' };
      commit: { conversationId: number; messageId: number; kind: 'shop' | 'store'; userId: number | null; email: string | null };
    };
  }
  interface JobMap {
    /** Tells the other side of a new message by email, with a link back to the thread. */
    'messaging.notify': { messageId: number };
    'messaging.warning-mail': { sanctionId: number };
    /** Tells the admins of a new report. */
    'messaging.report-mail': { reportId: number };
  }
}

export {};
