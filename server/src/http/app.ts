// The Express application: request context, routers, and the one error handler.
import express from 'express';
import type { HttpDeps } from './deps';
import { noStoreByDefault } from './cache-policy';
import { errorHandler, notFound } from './error-handler';
import { apiRateLimits, platformRateLimit } from './rate-limits';
import { requestContext } from './request-context';
import { securityHeaders } from './security-headers';
import { approvalRoutes } from './routes/approvals';
import { policyRoutes } from './routes/policy';
import { streamRoutes } from './routes/stream';
import { faviconRoutes } from './routes/favicon';
import { healthRoutes } from './routes/health';
import { homeRoutes } from './routes/home';
import { intakeRoutes } from './routes/intake';
import { openApiRoutes } from './routes/openapi';

/** Public endpoints called by platforms and browsers rather than with an API key. */
const PLATFORM_PATHS = ['/webhooks', '/intercom', '/slack', '/approvals', '/zendesk'];

export function createHttpApp(deps: HttpDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // Answers are no-store (cache-policy.ts), so an ETag hashed from every JSON body validates nothing;
  // static files keep serve-static's own ETag.
  app.disable('etag');
  app.set('trust proxy', deps.config.trustProxy);
  const httpsOnly = deps.config.publicUrl?.startsWith('https:') ?? false;
  app.use(requestContext(deps.log));
  app.use(noStoreByDefault);
  app.use(securityHeaders({ httpsOnly }));
  app.use(healthRoutes(deps));
  app.use(faviconRoutes());
  app.use(openApiRoutes(deps));
  app.use(['/api', '/mcp'], apiRateLimits(deps.config.rateLimits));
  app.use(PLATFORM_PATHS, platformRateLimit(deps.config.rateLimits));
  app.use(intakeRoutes(deps));
  // Before approvalRoutes, whose /api/approvals/:id would take "stream" for an id.
  app.use(streamRoutes(deps));
  app.use(approvalRoutes(deps));
  app.use(policyRoutes(deps));
  for (const routes of deps.integrationRoutes) app.use(routes);
  for (const extension of deps.extensions) app.use(extension.routes);
  app.use(homeRoutes(deps));
  app.use(notFound);
  app.use(errorHandler);
  return app;
}
