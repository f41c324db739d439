// The agents of the playground's fake Zendesk account: who a newcomer can sign in as on its consent
// page. Different roles and groups, so a policy naming Zendesk groups or roles (README, "Who may
// decide") lets some of them decide and not others. Avery is the agent the sample ticket's ZAF host
// says is signed in.
export interface SampleAgent {
  id: number;
  name: string;
  email: string;
  role: 'agent' | 'admin';
  /** A custom role's id (Zendesk Enterprise), or null. */
  customRoleId: number | null;
  /** What the consent page says about the role. */
  roleLabel: string;
  groups: Array<{ id: number; name: string }>;
}

export const SUPPORT_GROUP = { id: 360001, name: 'Support' };
export const FINANCE_GROUP = { id: 360002, name: 'Finance' };

export const SAMPLE_AGENTS: readonly SampleAgent[] = [
  { id: 1001, name: 'Avery Agent', email: 'avery@example.com', role: 'agent', customRoleId: null, roleLabel: 'Agent', groups: [SUPPORT_GROUP] },
  { id: 1002, name: 'Morgan Lead', email: 'morgan@example.com', role: 'admin', customRoleId: null, roleLabel: 'Admin', groups: [SUPPORT_GROUP, FINANCE_GROUP] },
  { id: 1003, name: 'Jamie Billing', email: 'jamie@example.com', role: 'agent', customRoleId: 4001, roleLabel: 'Agent, custom role "Billing specialist" (4001)', groups: [FINANCE_GROUP] },
];

export function sampleAgent(id: number): SampleAgent | null {
  return SAMPLE_AGENTS.find((agent) => agent.id === id) ?? null;
}
