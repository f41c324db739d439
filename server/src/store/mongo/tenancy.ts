// Workspaces and API keys on MongoDB.
import { AppError } from '../../approvals/errors';
import type { KeyStore, WorkspaceStore } from '../../approvals/ports';
import type { ApiKeyRecord, WorkspaceRecord } from '../../approvals/workspace-records';
import { isDuplicateKey, type MongoConnection } from './connection';
import { keyDocument, keyFromDocument, workspaceDocument, workspaceFromDocument } from './documents';

export class MongoWorkspaces implements WorkspaceStore {
  constructor(private readonly db: MongoConnection) {}

  async create(w: WorkspaceRecord): Promise<void> {
    try {
      await this.db.models.workspaces.insertOne(workspaceDocument(w));
    } catch (error) {
      if (isDuplicateKey(error, 'workspaces_name')) throw new AppError('conflict', 'workspace_exists', `A workspace named "${w.name}" already exists.`);
      throw error;
    }
  }

  async get(id: string): Promise<WorkspaceRecord | null> {
    const doc = await this.db.models.workspaces.findOne({ _id: id }).lean();
    return doc ? workspaceFromDocument(doc) : null;
  }

  async findByName(name: string): Promise<WorkspaceRecord | null> {
    const doc = await this.db.models.workspaces.findOne({ name }).lean();
    return doc ? workspaceFromDocument(doc) : null;
  }

  async list(): Promise<WorkspaceRecord[]> {
    const docs = await this.db.models.workspaces.find().sort({ createdAt: 1, _id: 1 }).lean();
    return docs.map(workspaceFromDocument);
  }

  async update(id: string, change: Pick<WorkspaceRecord, 'settings' | 'secrets'>): Promise<void> {
    await this.db.models.workspaces.updateOne(
      { _id: id },
      { $set: { settings: JSON.stringify(change.settings), secrets: JSON.stringify(change.secrets) } },
    );
  }
}

export class MongoKeys implements KeyStore {
  constructor(private readonly db: MongoConnection) {}

  async create(k: ApiKeyRecord): Promise<void> {
    await this.db.models.apiKeys.insertOne(keyDocument(k));
  }

  async findByHash(hash: string): Promise<ApiKeyRecord | null> {
    const doc = await this.db.models.apiKeys.findOne({ hash }).lean();
    return doc ? keyFromDocument(doc) : null;
  }

  async list(workspaceId?: string): Promise<ApiKeyRecord[]> {
    const filter = workspaceId ? { workspaceId } : {};
    const docs = await this.db.models.apiKeys.find(filter).sort({ createdAt: 1, _id: 1 }).lean();
    return docs.map(keyFromDocument);
  }

  async revoke(id: string, at: number): Promise<boolean> {
    const result = await this.db.models.apiKeys.updateOne({ _id: id, revokedAt: null }, { $set: { revokedAt: at } });
    return result.matchedCount === 1;
  }
}
