// "Confirm it's you": Zendesk vouches for the agent before the sidebar decides as them. The sidebar
// asks Countersign (through Zendesk's proxy) for Zendesk's consent page, opens it in a window of its
// own, and waits for the session. It does not rely on that window to talk back: whether Zendesk's
// consent page severs window.opener is unknown, so the sidebar collects the session itself with the
// one-time secret from the start call, every couple of seconds. The window's message (when it still
// reaches the sidebar) only makes it collect at once. The session is asked for again when it expires,
// or when Countersign no longer accepts it.
import { useCallback, useEffect, useRef, useState } from 'react';
import { CountersignApiError, type CountersignClient, type SignInStart } from '@countersign/shared';
import type { KeptSession, SessionKeeper } from './session-keeper';

export type SignInPhase =
  /** A kept session is being checked with Countersign. */
  | 'checking'
  | 'signed_out'
  | 'starting'
  /** The consent window is open (or blocked: see blockedUrl); the sidebar waits for the session. */
  | 'waiting'
  | 'signed_in'
  /** Zendesk answered, but no session came of it (declined, not an agent…): `message` says why. */
  | 'refused'
  /** The workspace has no Zendesk OAuth client yet. */
  | 'not_configured'
  /** Countersign could not start or finish it (unreachable, an unexpected answer). */
  | 'failed';

export interface SignInModel {
  phase: SignInPhase;
  session: KeptSession | null;
  /** True when a session ended (expired or refused by Countersign), so the agent is asked again. */
  askedAgain: boolean;
  /** The consent page, when the browser would not open a window for it: the agent opens it by link. */
  blockedUrl: string | null;
  /** Countersign's own words for a refusal or failure (English), when it gave any. */
  message: string | null;
  begin: () => void;
  cancel: () => void;
  /** A decision answered 403 reviewer_unverified: the session is no longer good. */
  unverified: () => void;
}

export type OpenWindow = (url: string, target: string, features: string) => Window | null;

const WINDOW_NAME = 'countersign-sign-in';
const WINDOW_FEATURES = 'popup,width=520,height=720';
/** What the consent window posts when Zendesk has answered (server/src/integrations/zendesk/sign-in-routes.ts). */
const DONE_MESSAGE = 'countersign:zendesk-sign-in';
/** setTimeout's longest delay; a session lasts far less. */
const MAX_TIMER_MS = 2_147_483_647;

interface Attempt {
  start: SignInStart | null;
  window: Window | null;
  timer: ReturnType<typeof setTimeout> | null;
  claiming: boolean;
  over: boolean;
}

export function useSignIn(api: CountersignClient, keeper: SessionKeeper, publicUrl: string, openWindow: OpenWindow = (url, target, features) => window.open(url, target, features)): SignInModel {
  const [session, setSession] = useState<KeptSession | null>(() => keeper.current());
  const [phase, setPhase] = useState<SignInPhase>(() => (keeper.current() ? 'checking' : 'signed_out'));
  const [askedAgain, setAskedAgain] = useState(false);
  const [blockedUrl, setBlockedUrl] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const attempt = useRef<Attempt | null>(null);
  const mounted = useRef(true);

  const stopAttempt = useCallback((closeWindow: boolean) => {
    const current = attempt.current;
    if (!current) return;
    current.over = true;
    if (current.timer) clearTimeout(current.timer);
    if (closeWindow) closeQuietly(current.window);
    attempt.current = null;
  }, []);

  const signedOut = useCallback((again: boolean) => {
    keeper.clear();
    if (!mounted.current) return;
    setAskedAgain(again);
    setPhase('signed_out');
  }, [keeper]);

  useEffect(() => keeper.subscribe((kept) => mounted.current && setSession(kept)), [keeper]);

  // A kept session may have been refused since (a new secret key, another workspace): ask once.
  useEffect(() => {
    if (phase !== 'checking') return;
    let current = true;
    api.signInStatus().then(
      (status) => current && (status.signedIn ? setPhase('signed_in') : signedOut(true)),
      // No answer says nothing about the session: keep it; a decision would tell.
      () => current && setPhase('signed_in'),
    );
    return () => {
      current = false;
    };
  }, [api, phase, signedOut]);

  // The session's end, by its own expiry: ask again.
  useEffect(() => {
    if (!session) return;
    const timer = setTimeout(() => signedOut(true), Math.min(MAX_TIMER_MS, Math.max(0, session.expiresAt - Date.now())));
    return () => clearTimeout(timer);
  }, [session, signedOut]);

  const claim = useCallback(async () => {
    const current = attempt.current;
    if (!current?.start || current.claiming || current.over) return;
    current.claiming = true;
    try {
      const answer = await api.claimSignIn({ claimSecret: current.start.claimSecret });
      if (current.over || !mounted.current) return;
      if (answer.status === 'signed_in') {
        stopAttempt(false);
        keeper.keep(answer.session);
        setAskedAgain(false);
        setPhase('signed_in');
      } else if (answer.status === 'refused') {
        stopAttempt(false);
        setMessage(answer.message);
        setPhase('refused');
      }
    } catch (error) {
      // Unreachable or busy: the next round asks again. Anything else will not get better by waiting.
      if (!current.over && !isTransient(error)) {
        stopAttempt(true);
        setMessage(messageOf(error));
        setPhase('failed');
      }
    } finally {
      current.claiming = false;
    }
  }, [api, keeper, stopAttempt]);

  const poll = useCallback(() => {
    const current = attempt.current;
    if (!current?.start || current.over) return;
    if (Date.now() >= Date.parse(current.start.expiresAt)) {
      stopAttempt(true);
      signedOut(askedAgain);
      return;
    }
    void claim().finally(() => {
      if (attempt.current === current && !current.over) current.timer = setTimeout(poll, current.start!.pollIntervalMs);
    });
  }, [askedAgain, claim, signedOut, stopAttempt]);

  // The consent window's "done" (no secret in it): collect now rather than at the next round.
  useEffect(() => {
    const origin = originOf(publicUrl);
    const onMessage = (event: MessageEvent) => {
      if (event.origin === origin && (event.data as { type?: unknown } | null)?.type === DONE_MESSAGE) void claim();
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, [claim, publicUrl]);

  const begin = useCallback(() => {
    stopAttempt(true);
    // Opened now, inside the click: a window opened after the start call's answer would count as
    // unrequested and be blocked. It is pointed at Zendesk once Countersign answers.
    const opened = openWindow('about:blank', WINDOW_NAME, WINDOW_FEATURES);
    const current: Attempt = { start: null, window: opened, timer: null, claiming: false, over: false };
    attempt.current = current;
    setMessage(null);
    setBlockedUrl(null);
    setPhase('starting');
    api.startSignIn({ origin: window.location.origin }).then(
      (start) => {
        if (current.over || !mounted.current) return;
        current.start = start;
        if (current.window && !current.window.closed) current.window.location.href = start.authorizeUrl;
        else setBlockedUrl(start.authorizeUrl);
        setPhase('waiting');
        current.timer = setTimeout(poll, start.pollIntervalMs);
      },
      (error: unknown) => {
        if (current.over || !mounted.current) return;
        stopAttempt(true);
        const notConfigured = error instanceof CountersignApiError && error.code === 'zendesk_sign_in_not_configured';
        setMessage(messageOf(error));
        setPhase(notConfigured ? 'not_configured' : 'failed');
      },
    );
  }, [api, openWindow, poll, stopAttempt]);

  const cancel = useCallback(() => {
    stopAttempt(true);
    setPhase('signed_out');
  }, [stopAttempt]);

  const unverified = useCallback(() => {
    stopAttempt(true);
    signedOut(true);
  }, [signedOut, stopAttempt]);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      stopAttempt(false);
    };
  }, [stopAttempt]);

  return { phase, session, askedAgain, blockedUrl, message, begin, cancel, unverified };
}

function isTransient(error: unknown): boolean {
  if (!(error instanceof CountersignApiError)) return false;
  return error.status === 0 || error.status === 429 || error.status >= 500;
}

function messageOf(error: unknown): string | null {
  return error instanceof CountersignApiError && error.code !== 'unexpected_response' ? error.message : null;
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

function closeQuietly(opened: Window | null): void {
  try {
    opened?.close();
  } catch {
    // Another origin's window by now, or already gone.
  }
}
