// @countersign/playground: run it beside Countersign with startCountersign(config, { extensions: [playgroundExtension()] }).
export { playgroundExtension } from './playground-extension';
export type { PlaygroundRuntime } from './playground-routes';
export { PLAYGROUND_WORKSPACE } from './playground-workspace';
export { initializeRequest, submitRequest, notificationEvent } from './intercom/intercom-requests';
export { FakeSlackWorkspace, fakeSlackApiRoutes, slackFormArgs, type FakeSlackMessage, type FakeSlackUser, type FakeSlackView } from './slack/fake-slack';
export { blockActionsPayload, signedInteraction, viewSubmissionPayload, type InteractionActor } from './slack/slack-interaction-requests';
