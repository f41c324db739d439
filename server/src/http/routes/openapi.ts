// GET /openapi.json: the API's OpenAPI 3.1 document, built once, for anyone (it holds no secrets).
import { Router } from 'express';
import { openApiDocument } from '../../openapi/openapi-document';
import type { HttpDeps } from '../deps';
import { methodNotAllowed } from '../error-handler';

export function openApiRoutes(deps: HttpDeps): Router {
  const router = Router();
  const document = JSON.stringify(openApiDocument({ publicUrl: deps.config.publicUrl }));
  router
    .route('/openapi.json')
    .get((_req, res) => {
      res.type('application/json').send(document);
    })
    .all(methodNotAllowed(['GET']));
  return router;
}
