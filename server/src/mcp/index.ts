// @countersign/server/mcp: the MCP server for AI agents (tools request_approval and get_approval),
// over Streamable HTTP (POST /mcp) and stdio (npm run mcp).
export { createMcpServer, answerText, RequestApprovalInput, GetApprovalInput, ApprovalAnswer, MCP_MAX_WAIT_SECONDS, MCP_DEFAULT_WAIT_SECONDS } from './approval-tools';
export { clientDesk, type ApprovalDesk } from './approval-desk';
export { mcpRoutes, type McpRouteDeps } from './mcp-routes';
export { runMcpStdio, stdioClient, McpConfigError } from './stdio';
