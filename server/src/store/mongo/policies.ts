// Policy documents, version by version, on MongoDB.
import type { PolicyRecord, PolicyStore } from '../../approvals/ports';
import { isDuplicateKey, type MongoConnection } from './connection';
import type { PolicyDocumentRow } from './models';

export class MongoPolicies implements PolicyStore {
  constructor(private readonly db: MongoConnection) {}

  async current(workspaceId: string): Promise<PolicyRecord | null> {
    const doc = await this.db.models.policies.findOne({ workspaceId }).sort({ version: -1 }).lean();
    return doc ? policyFromDocument(doc) : null;
  }

  async get(workspaceId: string, version: number): Promise<PolicyRecord | null> {
    const doc = await this.db.models.policies.findOne({ workspaceId, version }).lean();
    return doc ? policyFromDocument(doc) : null;
  }

  /** Checked and inserted in one transaction; the unique (workspace, version) index settles a race. */
  async save(record: PolicyRecord): Promise<boolean> {
    try {
      return await this.db.transaction(async (session) => {
        const newest = await this.db.models.policies.findOne({ workspaceId: record.workspaceId }).sort({ version: -1 }).session(session).lean();
        if ((newest?.version ?? 0) !== record.version - 1) return false;
        await this.db.models.policies.insertMany([{ workspaceId: record.workspaceId, version: record.version, document: JSON.stringify(record.document), createdAt: record.createdAt, setBy: record.setBy }], { session });
        return true;
      });
    } catch (error) {
      if (isDuplicateKey(error, 'policies_version')) return false;
      throw error;
    }
  }
}

function policyFromDocument(d: PolicyDocumentRow): PolicyRecord {
  return { workspaceId: d.workspaceId, version: d.version, document: JSON.parse(d.document) as PolicyRecord['document'], createdAt: d.createdAt, setBy: d.setBy };
}
