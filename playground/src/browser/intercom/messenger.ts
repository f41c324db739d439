// The real Intercom Messenger, booted through @intercom/messenger-js-sdk when the server has an
// INTERCOM_APP_ID. The SDK is served by the playground server as an ES module; it adds Intercom's
// widget script from widget.intercom.io. Without an app id nothing is loaded.
import type * as MessengerSdk from '@intercom/messenger-js-sdk';
import { messageOf } from '../api';
import { byTestId } from '../dom';

/** Bundled by the server on first use (intercom/messenger-sdk.ts), so never part of this build. */
const MESSENGER_SDK_URL = '/playground/intercom/messenger-sdk.js';

export async function bootMessenger(appId: string | null): Promise<void> {
  const status = byTestId('messenger-status');
  if (!appId) {
    status.textContent = 'Set INTERCOM_APP_ID on the server to show your workspace\'s real Intercom Messenger on this page.';
    status.dataset.state = 'off';
    return;
  }
  try {
    const sdk = (await import(/* @vite-ignore */ MESSENGER_SDK_URL)) as Pick<typeof MessengerSdk, 'Intercom'>;
    // A visitor, not a logged-in user: workspaces that enforce Messenger security would refuse an
    // unsigned identity.
    sdk.Intercom({ app_id: appId });
    status.textContent = `Intercom Messenger booted for app ${appId} (as a visitor).`;
    status.dataset.state = 'booted';
  } catch (error) {
    status.textContent = `The Intercom Messenger could not be loaded: ${messageOf(error)}`;
    status.dataset.state = 'error';
  }
}
