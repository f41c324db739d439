// The MongoDB connection's safeguards that need no server: what it accepts to connect to, and the
// filter sanitizing that keeps a request's values from acting as query operators.
import { describe, expect, it } from 'vitest';
import { REPLICA_SET_REQUIRED, requireTransactions, WRITABLE_PRIMARY_REQUIRED } from '../../server/src/store/mongo/connection';
import { NOT_SENT, offlineMongoStore } from '../support/offline-mongo-store';

const answering = (hello: Record<string, unknown>) => ({ admin: () => ({ command: async () => hello }) }) as never;

describe('mongo connection', () => {
  it('accepts the writable primary of a replica set, and a mongos', async () => {
    await expect(requireTransactions(answering({ setName: 'rs0', isWritablePrimary: true, secondary: false }))).resolves.toBeUndefined();
    await expect(requireTransactions(answering({ msg: 'isdbgrid', isWritablePrimary: true }))).resolves.toBeUndefined();
  });

  it('refuses a secondary or an arbiter reached directly, though it names its replica set', async () => {
    await expect(requireTransactions(answering({ setName: 'rs0', isWritablePrimary: false, secondary: true }))).rejects.toThrow(WRITABLE_PRIMARY_REQUIRED);
    await expect(requireTransactions(answering({ setName: 'rs0', isWritablePrimary: false, arbiterOnly: true }))).rejects.toThrow(WRITABLE_PRIMARY_REQUIRED);
  });

  it('refuses a standalone server, which cannot run transactions', async () => {
    await expect(requireTransactions(answering({ isWritablePrimary: true }))).rejects.toThrow(REPLICA_SET_REQUIRED);
  });
});

describe('mongo filter sanitizing', () => {
  it('compares an operator object given as an id, a key or a name as a value, so it matches nothing', async () => {
    const { store, close } = offlineMongoStore();
    try {
      const operator = { $ne: null } as unknown as string;
      for (const lookup of [
        () => store.approvals.get('ws_1', operator),
        () => store.approvals.get(operator, 'apr_1'),
        () => store.approvals.findByIdempotencyKey('ws_1', operator),
        () => store.approvals.listEvents('ws_1', operator),
        () => store.keys.findByHash(operator),
        () => store.workspaces.get(operator),
        () => store.workspaces.findByName(operator),
        () => store.meta.get(operator),
        () => store.policies.current(operator),
        () => store.policies.get(operator, 1),
      ]) await expect(lookup()).rejects.toMatchObject({ name: 'CastError' });
    } finally {
      await close();
    }
  });

  it('keeps the adapter\'s own operators: every read is cast and ready to send', async () => {
    const { store, close } = offlineMongoStore();
    try {
      for (const read of [
        () => store.approvals.get('ws_1', 'apr_1'),
        () => store.approvals.findByIdempotencyKey('ws_1', 'key-1'),
        () => store.approvals.list('ws_1', { status: 'pending', ticketId: '1' }, 10, { createdAt: 5, id: 'apr_1' }),
        () => store.approvals.listOverdue(1000, 10),
        () => store.approvals.listSettledSince(1000),
        () => store.approvals.listSettledAmong(['apr_1', 'apr_2']),
        () => store.approvals.listEvents('ws_1', 'apr_1'),
        () => store.outbox.list('ws_1', 'apr_1'),
        () => store.platformEvents.listUnprocessed('intercom', 1000, 5, 10),
        () => store.platformEvents.prune(1000),
        () => store.backlog(1000),
        () => store.policies.current('ws_1'),
        () => store.policies.get('ws_1', 2),
        () => store.changes.since(5, 10),
        () => store.changes.since(5, 10, 'ws_1'),
        () => store.changes.latest(),
      ]) await expect(read()).rejects.toThrow(NOT_SENT);
    } finally {
      await close();
    }
  });
});
