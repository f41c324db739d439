// Renders the real App against a fake Zendesk and a fake Countersign.
import { render, type RenderResult } from '@testing-library/react';
import type { ApprovalView } from '@countersign/shared';
import { App } from '../../../zendesk-app/src/components/App';
import type { ReviewerSessionSource } from '../../../zendesk-app/src/live/reviewer-session';
import { FakeCountersign, PUBLIC_URL } from './fake-countersign';
import { createFakeZafClient, type FakeZafClient, type FakeZafOptions } from './fake-zaf-client';

export interface SidebarHarness extends RenderResult {
  client: FakeZafClient;
  api: FakeCountersign;
}

export interface RenderOptions extends Omit<FakeZafOptions, 'request'> {
  /** The agent's reviewer session (the live stream); none by default, so the sidebar polls. */
  reviewerSessions?: ReviewerSessionSource;
}

export function renderSidebar(approvals: ApprovalView[] = [], { reviewerSessions, ...options }: RenderOptions = {}): SidebarHarness {
  const api = new FakeCountersign(approvals);
  const client = createFakeZafClient({ ...options, request: api.request });
  return { ...render(<App client={client} publicUrl={PUBLIC_URL} reviewerSessions={reviewerSessions} />), client, api };
}
