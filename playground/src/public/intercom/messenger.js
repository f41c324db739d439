// The real Intercom Messenger, booted through @intercom/messenger-js-sdk when the server has an
// INTERCOM_APP_ID. The SDK is served by the playground server as an ES module; it adds Intercom's
// widget script from widget.intercom.io. Without an app id nothing is loaded.
import { byTestId } from '../dom.js';

export async function bootMessenger(appId) {
  const status = byTestId('messenger-status');
  if (!appId) {
    status.textContent = 'Set INTERCOM_APP_ID on the server to show your workspace\'s real Intercom Messenger on this page.';
    status.dataset.state = 'off';
    return;
  }
  try {
    const sdk = await import('/playground/intercom/messenger-sdk.js');
    // A visitor, not a logged-in user: workspaces that enforce Messenger security would refuse an
    // unsigned identity.
    sdk.Intercom({ app_id: appId });
    status.textContent = `Intercom Messenger booted for app ${appId} (as a visitor).`;
    status.dataset.state = 'booted';
  } catch (error) {
    status.textContent = `The Intercom Messenger could not be loaded: ${error.message}`;
    status.dataset.state = 'error';
  }
}
