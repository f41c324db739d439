// `npm run mcp`: Countersign's MCP server over stdio, for local MCP clients. Configured by
// COUNTERSIGN_URL and COUNTERSIGN_INTAKE_KEY; messages go to stderr, stdout is the protocol's.
import { McpConfigError, runMcpStdio } from '@countersign/server/mcp';

runMcpStdio().catch((error: unknown) => {
  process.stderr.write(`${error instanceof McpConfigError ? error.message : `countersign-mcp failed: ${(error as Error).stack ?? String(error)}`}\n`);
  process.exit(1);
});
