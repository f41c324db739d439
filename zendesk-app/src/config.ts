// Where Countersign's API lives. Baked in at build time (COUNTERSIGN_PUBLIC_URL) because Zendesk's
// proxy only forwards secure settings to hosts listed in the manifest's domainWhitelist.
declare const __COUNTERSIGN_PUBLIC_URL__: string | undefined;

export const DEFAULT_PUBLIC_URL = 'http://localhost:8080';

export const PUBLIC_URL: string =
  typeof __COUNTERSIGN_PUBLIC_URL__ === 'string' ? __COUNTERSIGN_PUBLIC_URL__ : DEFAULT_PUBLIC_URL;
