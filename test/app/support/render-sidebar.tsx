// Renders the real App against a fake Zendesk and a fake Countersign.
import { render, type RenderResult } from '@testing-library/react';
import type { ApprovalView } from '@countersign/shared';
import { App } from '../../../zendesk-app/src/components/App';
import { FakeCountersign, PUBLIC_URL } from './fake-countersign';
import { createFakeZafClient, type FakeZafClient, type FakeZafOptions } from './fake-zaf-client';

export interface SidebarHarness extends RenderResult {
  client: FakeZafClient;
  api: FakeCountersign;
}

export function renderSidebar(approvals: ApprovalView[] = [], options: Omit<FakeZafOptions, 'request'> = {}): SidebarHarness {
  const api = new FakeCountersign(approvals);
  const client = createFakeZafClient({ ...options, request: api.request });
  return { ...render(<App client={client} publicUrl={PUBLIC_URL} />), client, api };
}
