// What a package check found: errors block an upload (Zendesk would refuse it), warnings do not, and
// notices are things Zendesk's validator reports that are known not to be problems here (each says why).

export interface Finding {
  code: string;
  message: string;
  path?: string;
}

export class Findings {
  readonly errors: Finding[] = [];
  readonly warnings: Finding[] = [];
  readonly notices: Finding[] = [];

  error(code: string, message: string, path?: string): void {
    this.errors.push(path === undefined ? { code, message } : { code, message, path });
  }

  warn(code: string, message: string, path?: string): void {
    this.warnings.push(path === undefined ? { code, message } : { code, message, path });
  }

  notice(code: string, message: string, path?: string): void {
    this.notices.push(path === undefined ? { code, message } : { code, message, path });
  }
}

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
