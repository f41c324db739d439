// The two calls of Intercom's OAuth install: exchange the code for a token, then ask who installed
// the app (`GET /me`: the admin, and the workspace's id code and region).
import { z } from 'zod';
import type { IntercomConfig } from '../../config/config';

const TIMEOUT_MS = 10_000;

const TokenAnswer = z.object({ token: z.string().min(1).optional(), access_token: z.string().min(1).optional() }).refine((t) => t.token ?? t.access_token);
const MeAnswer = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  name: z.string().nullish(),
  email: z.string().nullish(),
  email_verified: z.boolean().nullish(),
  app: z.object({ id_code: z.string().min(1), region: z.string().nullish(), name: z.string().nullish() }),
});
export type IntercomInstaller = z.output<typeof MeAnswer>;

export class IntercomOAuthError extends Error {}

export async function exchangeCode(config: IntercomConfig, code: string): Promise<string> {
  const response = await fetch(config.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ code, client_id: config.clientId ?? '', client_secret: config.clientSecret ?? '' }),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  }).catch(() => null);
  if (!response) throw new IntercomOAuthError('Intercom could not be reached to finish the install.');
  const parsed = TokenAnswer.safeParse(await response.json().catch(() => null));
  if (!response.ok || !parsed.success) throw new IntercomOAuthError(`Intercom refused the install code (HTTP ${response.status}); start the install again.`);
  return (parsed.data.access_token ?? parsed.data.token)!;
}

export async function whoInstalled(config: IntercomConfig, token: string): Promise<IntercomInstaller> {
  const base = config.apiUrl ?? 'https://api.intercom.io';
  const response = await fetch(`${base}/me`, {
    headers: { authorization: `Bearer ${token}`, accept: 'application/json', 'intercom-version': config.apiVersion },
    signal: AbortSignal.timeout(TIMEOUT_MS),
  }).catch(() => null);
  if (!response) throw new IntercomOAuthError('Intercom could not be reached to finish the install.');
  const parsed = MeAnswer.safeParse(await response.json().catch(() => null));
  if (!response.ok || !parsed.success) throw new IntercomOAuthError(`Intercom did not say who installed the app (HTTP ${response.status}).`);
  return parsed.data;
}
