// @countersign/server/openapi: the OpenAPI 3.1 document of the public API.
export { openApiDocument, type OpenApiOptions } from './openapi-document';
export { NOT_DOCUMENTED, isNotDocumented } from './not-documented';
export { REQUEST_SCHEMAS, RESPONSE_SCHEMAS } from './schema-components';
