// zendesk_app_framework_sdk ships no typings; zaf/init-client.ts gives its one entry point a type.
declare module 'zendesk_app_framework_sdk';
