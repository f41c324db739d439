// The MongoDB suites run against whatever MONGODB_URI names; naming their own databases must work for
// every form of connection string, not only a single host.
import { describe, expect, it } from 'vitest';
import { withDatabase } from '../support/mongo-database-uri';

describe('mongo suite database naming', () => {
  it('names a database on an ordinary replica-set URI with several hosts', () => {
    expect(withDatabase('mongodb://a:27017,b:27017/?replicaSet=rs0', 'contract_1')).toBe('mongodb://a:27017,b:27017/contract_1?replicaSet=rs0');
  });

  it('replaces a database already named, and keeps credentials, options and SRV', () => {
    expect(withDatabase('mongodb://user:p%40ss@a:27017,b:27018,c/countersign?replicaSet=rs0&authSource=admin', 'x'))
      .toBe('mongodb://user:p%40ss@a:27017,b:27018,c/x?replicaSet=rs0&authSource=admin');
    expect(withDatabase('mongodb+srv://user:pw@cluster0.example.net/countersign?retryWrites=true', 'y')).toBe('mongodb+srv://user:pw@cluster0.example.net/y?retryWrites=true');
    expect(withDatabase('mongodb://127.0.0.1:27017', 'z')).toBe('mongodb://127.0.0.1:27017/z');
  });
});
