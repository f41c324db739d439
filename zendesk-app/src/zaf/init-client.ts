// The real ZAF client, bundled from zendesk_app_framework_sdk rather than loaded from Zendesk's CDN.
import ZAFClient from 'zendesk_app_framework_sdk';
import type { ZafClient } from './zaf-client';

interface ZafSdk {
  /** false when the page was not opened by Zendesk (no origin/app_guid in its URL). */
  init(): ZafClient | false;
}

export function initZafClient(): ZafClient | null {
  return (ZAFClient as ZafSdk).init() || null;
}
