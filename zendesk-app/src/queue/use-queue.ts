// The top-bar queue's state: every pending request on any ticket that this agent may decide, kept
// current by the live stream (polling when it is down), with the count on the app's icon and a
// Zendesk notification for each new one.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { withoutBidiControls, type ApprovalView, type CountersignClient } from '@countersign/shared';
import { classifyFailure, type Failure } from '../approvals/failure';
import { singleFlight } from '../approvals/single-flight';
import type { Translate } from '../i18n/translator';
import type { StreamEventName, StreamState } from '../live/approval-stream';
import type { ReviewerSessionSource } from '../live/reviewer-session';
import { useApprovalStream } from '../live/use-approval-stream';
import type { ZafClient } from '../zaf/zaf-client';
import { badgeSymbol } from './queue-badge';
import { belongsInQueue, byUrgency, type QueueItem } from './urgency';

export const QUEUE_POLL_MS = 30_000;
const PAGE_SIZE = 100;
/** Enough for any queue a person can work through; beyond it the header says "500+". */
export const MAX_PAGES = 5;

export type QueueStatus = 'loading' | 'ready' | 'failed' | 'signedOut';

export interface QueueModel {
  status: QueueStatus;
  items: QueueItem[];
  /** More are pending than were read (the list stopped at MAX_PAGES). */
  truncated: boolean;
  failure: Failure | null;
  stream: StreamState;
  refresh: () => Promise<void>;
}

export interface QueueOptions {
  client: ZafClient;
  api: CountersignClient;
  publicUrl: string;
  sessions: ReviewerSessionSource;
  t: Translate;
  pollMs?: number;
}

export function useQueue({ client, api, publicUrl, sessions, t, pollMs = QUEUE_POLL_MS }: QueueOptions): QueueModel {
  const signedIn = useSignedIn(sessions);
  const [byId, setById] = useState<ReadonlyMap<string, QueueItem> | null>(null);
  const [truncated, setTruncated] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const known = useRef(new Set<string>()); // what the agent was already told about
  const streamedDuringList = useRef<ApprovalView[] | null>(null);
  const notifyText = useRef(t);
  notifyText.current = t;

  const refresh = useMemo(
    () =>
      singleFlight(async () => {
        if (!sessions.getReviewerSession()) return;
        streamedDuringList.current = [];
        try {
          const { items, more } = await listPending(api);
          const next = new Map(items.filter(belongsInQueue).map((item) => [item.approvalId, item]));
          for (const approval of streamedDuringList.current) applyTo(next, approval);
          for (const id of next.keys()) known.current.add(id);
          setById(next);
          setTruncated(more);
          setFailure(null);
        } catch (error) {
          setFailure(classifyFailure(error));
        } finally {
          streamedDuringList.current = null;
        }
      }),
    [api, sessions],
  );

  const onApproval = useCallback(
    (approval: ApprovalView, event: StreamEventName) => {
      streamedDuringList.current?.push(approval);
      setById((current) => {
        if (!current) return current;
        const next = new Map(current);
        applyTo(next, approval);
        return next;
      });
      if (event === 'approval.created' && belongsInQueue(approval) && !known.current.has(approval.approvalId)) {
        known.current.add(approval.approvalId);
        notifyNew(client, approval, notifyText.current);
      }
    },
    [client],
  );

  const stream = useApprovalStream({ baseUrl: publicUrl, sessions, onApproval, onLive: refresh });
  usePolling(client, refresh, signedIn && stream !== 'live' ? pollMs : null);

  useEffect(() => {
    if (signedIn) void refresh();
    else setById(null);
  }, [signedIn, refresh]);

  const items = useMemo(() => [...(byId?.values() ?? [])].sort(byUrgency), [byId]);
  useIconBadge(client, signedIn ? items.length : 0);

  const status: QueueStatus = !signedIn ? 'signedOut' : byId ? 'ready' : failure ? 'failed' : 'loading';
  return { status, items, truncated, failure, stream, refresh };
}

async function listPending(api: CountersignClient): Promise<{ items: ApprovalView[]; more: boolean }> {
  const items: ApprovalView[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await api.listApprovals({ status: 'pending', limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) });
    items.push(...answer.items);
    if (!answer.nextCursor) return { items, more: false };
    cursor = answer.nextCursor;
  }
  return { items, more: true };
}

/** An approval's latest state: in the queue while this agent may decide it, gone once not. */
function applyTo(queue: Map<string, QueueItem>, approval: ApprovalView): void {
  if (belongsInQueue(approval)) queue.set(approval.approvalId, approval);
  else queue.delete(approval.approvalId);
}

function notifyNew(client: ZafClient, approval: QueueItem, t: Translate): void {
  // Zendesk may render the message as HTML (its documentation does not say): the automation's text is escaped.
  const message = t('queue.notify', { summary: escapeHtml(withoutBidiControls(approval.summary)), ticketId: escapeHtml(approval.context.ticketId) });
  invokeQuietly(client, 'notify', message, 'notice');
}

function useIconBadge(client: ZafClient, count: number): void {
  const symbol = badgeSymbol(count);
  useEffect(() => {
    try {
      Promise.resolve(client.set?.('iconSymbol', symbol)).catch(() => undefined);
    } catch {
      // A host without icon symbols: the popover's header still shows the count.
    }
  }, [client, symbol]);
}

/** Whether the agent has a reviewer session now; without one nobody can say what they may decide. */
function useSignedIn(sessions: ReviewerSessionSource): boolean {
  const [signedIn, setSignedIn] = useState(() => sessions.getReviewerSession() !== null);
  useEffect(() => {
    const update = () => setSignedIn(sessions.getReviewerSession() !== null);
    update();
    return sessions.onReviewerSessionChange(update);
  }, [sessions]);
  return signedIn;
}

/** Polls while the stream is down; the pane coming back into view reads the list at once. */
function usePolling(client: ZafClient, refresh: () => Promise<void>, intervalMs: number | null): void {
  useEffect(() => {
    const onActivated = () => void refresh();
    client.on('pane.activated', onActivated);
    return () => void client.off?.('pane.activated', onActivated);
  }, [client, refresh]);
  useEffect(() => {
    if (intervalMs === null) return;
    const timer = setInterval(() => void refresh(), intervalMs);
    return () => clearInterval(timer);
  }, [refresh, intervalMs]);
}

export function invokeQuietly(client: ZafClient, name: string, ...args: unknown[]): void {
  try {
    Promise.resolve(client.invoke(name, ...args)).catch(() => undefined);
  } catch {
    // a host that lacks the action: nothing else depends on it
  }
}

/** Markup only: quotes are harmless outside attributes, and escaping them would show as entities where Zendesk renders text. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`);
}
