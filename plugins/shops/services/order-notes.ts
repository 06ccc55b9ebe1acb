import type { PluginContext } from '@agora/core';
import type { Order } from '../models/order';
import { OrderNote } from '../models/order-note';

export const NOTE_MAIL_JOB = 'order-note-mail';
export const NOTE_MAX = 2000;

/** Adds a note to an order and has it emailed to the other side (by a job: a slow mail server never slows the page). */
export async function addOrderNote(
  ctx: Pick<PluginContext, 'hooks' | 'jobs'>,
  order: Order,
  author: { id: number | null; side: OrderNote['author_side'] },
  body: string,
): Promise<OrderNote> {
  const note = await OrderNote.create({ order_id: order.id, author_id: author.id, author_side: author.side, body: body.slice(0, NOTE_MAX) });
  await ctx.hooks.do('shops.order.note.added', note, order);
  await ctx.jobs.enqueue(NOTE_MAIL_JOB, { noteId: note.id });
  return note;
}
