// Small named values the server keeps about itself (the secret key's check value, probes).
export interface MetaStore {
  get(key: string): Promise<string | null>;
  /** Stores the value unless the key exists; answers whichever value is stored afterwards. */
  putIfAbsent(key: string, value: string): Promise<string>;
}
