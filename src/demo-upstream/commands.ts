/**
 * The commands of the catalog (`POST …/records/:id/commands/:command`): state changes the
 * platform owns, such as archiving a member or voiding an invoice. A command that does not
 * apply to the record's current state answers 409 with a message saying why.
 */
import { conflict, invalidRequest, notFound } from './api-error.js';
import type { DemoAccount } from './accounts.js';
import { findCatalogEntry, type CatalogEntry } from './catalog.js';
import type { DemoContext } from './context.js';
import type { DemoRecord } from './generate.js';
import { assertCanWrite } from './permissions.js';
import { loadVisibleRecord } from './record-writes.js';

export interface CommandOutcome {
  message: string;
  record?: DemoRecord;
}

type CommandHandler = (ctx: DemoContext, record: DemoRecord, args: Record<string, unknown>) => CommandOutcome;

function save(ctx: DemoContext, type: string, record: DemoRecord, changes: Record<string, unknown>): DemoRecord {
  const next = { ...record, ...changes, id: record.id };
  ctx.store.replace(type, next);
  return next;
}

function closeOpenCheckin(ctx: DemoContext, memberId: string): void {
  const nowIso = new Date(ctx.now()).toISOString();
  for (const checkin of ctx.store.all('checkins')) {
    if (checkin.memberId === memberId && checkin.checkedOutAt === null) save(ctx, 'checkins', checkin, { checkedOutAt: nowIso });
  }
}

const HANDLERS: Record<string, Record<string, CommandHandler>> = {
  members: {
    archive(ctx, member) {
      if (member.status === 'archived') throw conflict('This member is already archived.');
      if (member.checkedIn) closeOpenCheckin(ctx, member.id);
      return { message: 'Member archived.', record: save(ctx, 'members', member, { status: 'archived', checkedIn: false }) };
    },
    unarchive(ctx, member) {
      if (member.status !== 'archived') throw conflict('This member is not archived.');
      return { message: 'Member restored.', record: save(ctx, 'members', member, { status: 'active' }) };
    },
    check_in(ctx, member) {
      if (member.status === 'archived') throw conflict('An archived member cannot check in.');
      if (member.checkedIn) throw conflict('This member is already checked in.');
      const entry = findCatalogEntry('checkins')!;
      ctx.store.insert(entry, {
        memberId: member.id,
        locationId: member.locationId,
        checkedInAt: new Date(ctx.now()).toISOString(),
        checkedOutAt: null,
      });
      return { message: 'Member checked in.', record: save(ctx, 'members', member, { checkedIn: true }) };
    },
    check_out(ctx, member) {
      if (!member.checkedIn) throw conflict('This member is not checked in.');
      closeOpenCheckin(ctx, member.id);
      return { message: 'Member checked out.', record: save(ctx, 'members', member, { checkedIn: false }) };
    },
  },
  bookings: {
    confirm(ctx, booking) {
      if (booking.status === 'cancelled') throw conflict('A cancelled booking cannot be confirmed.');
      if (booking.status === 'confirmed') throw conflict('This booking is already confirmed.');
      return { message: 'Booking confirmed.', record: save(ctx, 'bookings', booking, { status: 'confirmed' }) };
    },
    cancel(ctx, booking, args) {
      if (booking.status === 'cancelled') throw conflict('This booking is already cancelled.');
      if (args.reason !== undefined && typeof args.reason !== 'string') throw invalidRequest("Argument 'reason' must be a string.");
      return { message: 'Booking cancelled.', record: save(ctx, 'bookings', booking, { status: 'cancelled' }) };
    },
  },
  invoices: {
    mark_paid(ctx, invoice) {
      if (invoice.status === 'paid') throw conflict('This invoice is already paid.');
      if (invoice.status === 'void') throw conflict('A void invoice cannot be paid.');
      return { message: 'Invoice marked as paid.', record: save(ctx, 'invoices', invoice, { status: 'paid' }) };
    },
    void(ctx, invoice) {
      if (invoice.status === 'paid') throw conflict('A paid invoice cannot be voided.');
      if (invoice.status === 'void') throw conflict('This invoice is already void.');
      return { message: 'Invoice voided.', record: save(ctx, 'invoices', invoice, { status: 'void' }) };
    },
  },
};

export function runCommand(
  ctx: DemoContext,
  account: DemoAccount,
  entry: CatalogEntry,
  id: string,
  command: string,
  args: unknown,
): CommandOutcome {
  const handlers = Object.hasOwn(HANDLERS, entry.type) ? HANDLERS[entry.type] : undefined;
  const handler = handlers && Object.hasOwn(handlers, command) ? handlers[command] : undefined;
  if (!handler) {
    throw notFound(`${entry.title} have no command '${command}'.`);
  }
  assertCanWrite(account);
  const record = loadVisibleRecord(ctx, account, entry, id);
  const input = args ?? {};
  if (typeof input !== 'object' || Array.isArray(input)) throw invalidRequest('Command arguments must be a JSON object.');
  return handler(ctx, record, input as Record<string, unknown>);
}
