// Checks real answers against an OpenAPI 3.1 document: the response a (method, path template,
// status) documents is looked up, its content schema compiled by ajv (JSON Schema 2020-12, the
// dialect of OpenAPI 3.1) with the document as the root its $refs point into.
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

type Json = Record<string, any>;

const DOCUMENT_ID = 'https://countersign.invalid/openapi.json';

export interface Conformance {
  /** The problems of `body` as the answer `status` of `method path`; [] when it conforms. */
  problems(method: string, path: string, status: number, body: unknown, contentType?: string): string[];
  /** The response object the document gives for it (after following a $ref), or null. */
  response(method: string, path: string, status: number): Json | null;
}

export function conformance(document: Json): Conformance {
  // strict off: the document's own keywords (openapi, paths…) are not JSON Schema keywords.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ ...document, $id: DOCUMENT_ID });
  const response = (method: string, path: string, status: number): Json | null => {
    const found = document.paths?.[path]?.[method.toLowerCase()]?.responses?.[String(status)];
    if (!found) return null;
    return found.$ref ? pointer(document, found.$ref) : found;
  };
  return {
    response,
    problems(method, path, status, body, contentType = 'application/json') {
      const documented = response(method, path, status);
      if (!documented) return [`${method} ${path} documents no ${status} answer`];
      const schema = documented.content?.[contentType]?.schema;
      if (!schema) return [`${method} ${path} ${status} documents no ${contentType} body`];
      const validate = ajv.compile(schema.$ref ? { $ref: DOCUMENT_ID + schema.$ref } : schema);
      if (validate(body)) return [];
      return (validate.errors ?? []).map((e) => `${method} ${path} ${status}: ${e.instancePath || '(body)'} ${e.message} ${JSON.stringify(e.params)}`);
    },
  };
}

function pointer(document: Json, ref: string): Json {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce((node, part) => node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], document as any);
}
