// Renders the real App against a fake Zendesk and a fake Countersign. The agent has already confirmed
// who they are (a kept session) unless the test says `signedIn: false`.
import { render, type RenderResult } from '@testing-library/react';
import type { ApprovalView, SignedInReviewer } from '@countersign/shared';
import { App } from '../../../zendesk-app/src/components/App';
import { FakeCountersign, PUBLIC_URL } from './fake-countersign';
import { AGENT, createFakeZafClient, type FakeZafClient, type FakeZafOptions } from './fake-zaf-client';

export interface SidebarHarness extends RenderResult {
  client: FakeZafClient;
  api: FakeCountersign;
}

/** Where the sidebar keeps its session (zendesk-app/src/sign-in/session-keeper.ts). */
export const SESSION_STORAGE_KEY = 'countersign.reviewerSession';

/** Whom Zendesk confirmed: the ZAF current user. */
export const SIGNED_IN_AGENT: SignedInReviewer = { id: String(AGENT.id), name: AGENT.name, email: AGENT.email, via: 'zendesk' };

export interface RenderOptions extends Omit<FakeZafOptions, 'request'> {
  /** Default true: a session for SIGNED_IN_AGENT is kept from an earlier sign-in. */
  signedIn?: boolean;
  /** Set up the fake Countersign before the app's first request. */
  prepare?: (api: FakeCountersign) => void;
}

export function renderSidebar(approvals: ApprovalView[] = [], options: RenderOptions = {}): SidebarHarness {
  const { signedIn = true, prepare, ...zaf } = options;
  const api = new FakeCountersign(approvals);
  window.localStorage.clear();
  if (signedIn) window.localStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify(api.issueSession(SIGNED_IN_AGENT)));
  prepare?.(api);
  const client = createFakeZafClient({ ...zaf, request: api.request });
  return { ...render(<App client={client} publicUrl={PUBLIC_URL} />), client, api };
}
