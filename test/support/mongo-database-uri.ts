// The MongoDB suites' database naming: the same server as MONGODB_URI, another database. A connection
// string is not a URL (a replica set lists several hosts: `mongodb://a:27017,b:27017/?replicaSet=rs0`,
// which `new URL` refuses), so it is edited with the parser the MongoDB driver itself uses.
import ConnectionString from 'mongodb-connection-string-url';

/** `uri` with its database replaced by `name`, keeping hosts, credentials and options. */
export function withDatabase(uri: string, name: string): string {
  const connectionString = new ConnectionString(uri);
  connectionString.pathname = `/${name}`;
  return connectionString.toString();
}

/** `uri` with the connection-string option `name` set to `value`. */
export function withOption(uri: string, name: string, value: string): string {
  const connectionString = new ConnectionString(uri);
  connectionString.searchParams.set(name, value);
  return connectionString.toString();
}
