// THE list of routes the OpenAPI document leaves out on purpose, with why. Every other route the server
// answers must be in ./paths.ts: test/integration/openapi/openapi-routes.test.ts walks the live router
// and fails on a route in neither place. Entries are `METHOD /express/path`; a trailing `*` covers a prefix.
export const NOT_DOCUMENTED: ReadonlyArray<{ route: string; why: string }> = [
  { route: 'GET /', why: 'the home page, for people' },
  { route: 'GET /favicon.ico', why: 'the icon' },
  { route: 'POST /webhooks/intercom', why: 'called by Intercom, signed with X-Hub-Signature (seed 002)' },
  { route: 'POST /intercom/canvas/initialize', why: 'called by Intercom\'s Canvas Kit, signed with X-Body-Signature' },
  { route: 'POST /intercom/canvas/submit', why: 'called by Intercom\'s Canvas Kit, signed with X-Body-Signature' },
  { route: 'GET /intercom/oauth/start', why: 'the Intercom install, in a browser' },
  { route: 'GET /intercom/oauth/callback', why: 'the Intercom install, in a browser' },
  { route: 'POST /slack/interactions', why: 'called by Slack, signed with X-Slack-Signature' },
  { route: 'GET /slack/oauth/start', why: '"Add to Slack", in a browser: an install link from the admin CLI, redirected to Slack' },
  { route: 'GET /slack/oauth/callback', why: '"Add to Slack": Slack\'s OAuth redirect back, in the installer\'s browser' },
  { route: '* /api/zendesk/sign-in*', why: 'the Zendesk sidebar\'s own sign-in (status, start, claim; the app key, through Zendesk\'s proxy), not for integrators' },
  { route: 'GET /zendesk/oauth/callback', why: 'Zendesk\'s OAuth redirect, in the agent\'s browser' },
  { route: 'GET /zendesk/oauth/signed-in.js', why: 'the script of the page that redirect shows' },
  { route: 'GET /approvals/:id/view', why: 'a page behind a signed link, for people' },
  { route: '* /playground*', why: 'the development playground (off in production)' },
];

/** Whether `entry` ("GET /api/approvals") is one the document leaves out on purpose. */
export function isNotDocumented(entry: string): boolean {
  const [method, path] = entry.split(' ') as [string, string];
  return NOT_DOCUMENTED.some(({ route }) => {
    const [m, p] = route.split(' ') as [string, string];
    const pathMatches = p.endsWith('*') ? path.startsWith(p.slice(0, -1)) : path === p;
    return (m === '*' || m === method) && pathMatches;
  });
}
