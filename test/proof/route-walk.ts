// Lists every (method, path) an Express 5 app answers, by walking its router stack (router 2.x):
// routes contribute their methods (`.all()` handlers as ALL), routers are walked recursively, and
// other middleware mounted on a path (static files) contributes `USE <path>`.
import type http from 'node:http';

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: string | string[];
  name?: string;
}

export function expressAppOf(server: http.Server): { router: { stack: Layer[] } } {
  const [app] = server.listeners('request') as Array<{ router?: { stack: Layer[] } }>;
  if (!app?.router?.stack) throw new Error('the http.Server has no Express 5 app as its request listener');
  return app as { router: { stack: Layer[] } };
}

export function routesOf(app: { router: { stack: Layer[] } }): string[] {
  const found = new Set<string>();
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = ([] as string[]).concat(layer.route.path);
        for (const path of paths) {
          for (const [method, on] of Object.entries(layer.route.methods)) {
            if (on) found.add(`${method === '_all' ? 'ALL' : method.toUpperCase()} ${join(prefix, path)}`);
          }
        }
        continue;
      }
      const mounts = ([] as string[]).concat(layer.rawPath ?? '/');
      if (layer.handle?.stack) {
        for (const mount of mounts) walk(layer.handle.stack, join(prefix, mount));
      } else {
        for (const mount of mounts) if (mount !== '/') found.add(`USE ${join(prefix, mount)}`);
      }
    }
  };
  walk(app.router.stack, '');
  return [...found].sort();
}

function join(prefix: string, path: string): string {
  const joined = `${prefix.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  return joined.length > 1 ? joined.replace(/\/+$/, '') : '/';
}
