// POST /mcp: the MCP server over Streamable HTTP, stateless (each request gets its own server and
// transport, so any instance behind a balancer can answer any request), for an intake key.
import { Router, type Request } from 'express';
import type { Logger } from 'pino';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { requireKey } from '../http/auth';
import { methodNotAllowed } from '../http/error-handler';
import { jsonBody } from '../http/json-body';
import { caller } from '../http/locals';
import { createMcpServer } from './approval-tools';
import { serviceDesk, type ServiceDeskDeps } from './service-desk';

export interface McpRouteDeps extends ServiceDeskDeps {
  bodyLimitBytes: number;
  log: Logger;
}

/** The transport wants both; a request without Accept accepts anything (RFC 9110 §12.5.1), curl included. */
const MCP_ACCEPT = 'application/json, text/event-stream';

function acceptAnything(req: Request): void {
  const accept = req.headers.accept?.trim();
  if (!accept || accept === '*/*') req.headers.accept = MCP_ACCEPT;
}

export function mcpRoutes(deps: McpRouteDeps): Router {
  const router = Router();
  router
    .route('/mcp')
    .post(requireKey(deps.store, 'intake'), ...jsonBody({ limitBytes: deps.bodyLimitBytes }), async (req, res) => {
      const { workspace, key } = caller(res);
      const server = createMcpServer(serviceDesk(deps, { workspace, key, res }));
      // JSON answers rather than an SSE stream: one answer per call, which proxies handle plainly.
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      transport.onerror = (err) => deps.log.warn({ err }, 'mcp transport error');
      res.on('close', () => {
        void transport.close();
        void server.close();
      });
      acceptAnything(req);
      await server.connect(transport);
      await transport.handleRequest(req, res, req.body);
    })
    // Stateless: no standalone event stream (GET) and no session to end (DELETE).
    .all(methodNotAllowed(['POST']));
  return router;
}
