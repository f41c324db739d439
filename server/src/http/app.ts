// The Express application: request context, routers, and the one error handler.
import express from 'express';
import type { HttpDeps } from './deps';
import { errorHandler, notFound } from './error-handler';
import { playgroundRoutes } from '../playground/playground-routes';
import { requestContext } from './request-context';
import { approvalRoutes } from './routes/approvals';
import { healthRoutes } from './routes/health';
import { homeRoutes } from './routes/home';
import { intakeRoutes } from './routes/intake';

export function createHttpApp(deps: HttpDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(requestContext(deps.log));
  app.use(healthRoutes(deps));
  app.use(intakeRoutes(deps));
  app.use(approvalRoutes(deps));
  for (const routes of deps.integrationRoutes) app.use(routes);
  if (deps.playground) app.use(playgroundRoutes(deps.playground));
  app.use(homeRoutes(deps));
  app.use(notFound);
  app.use(errorHandler);
  return app;
}
