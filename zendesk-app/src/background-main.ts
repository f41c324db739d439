// Entry point of the app's background page, which Zendesk loads with the agent interface.
import { preloadQueue } from './queue/preload-queue';
import { initZafClient } from './zaf/init-client';

const client = initZafClient();
if (client) void preloadQueue(client);
