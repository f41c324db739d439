// The live stream as a React hook: open while the component is mounted, reopened when what it
// streams changes, closed on unmount (the app's iframe going away closes it with the page anyway).
import { useEffect, useRef, useState } from 'react';
import type { ApprovalView } from '@countersign/shared';
import { ApprovalStream, type EventSourceFactory, type RetryPolicy, type StreamEventName, type StreamState } from './approval-stream';
import type { ReviewerSessionSource } from './reviewer-session';

export interface LiveOptions {
  baseUrl: string;
  ticketId?: string;
  sessions: ReviewerSessionSource;
  onApproval: (approval: ApprovalView, event: StreamEventName) => void;
  /** Called each time the stream (re)opens: whatever happened while it was down is read once. */
  onLive?: () => void;
  eventSource?: EventSourceFactory | null;
  retry?: RetryPolicy;
}

export function useApprovalStream({ baseUrl, ticketId, sessions, onApproval, onLive, eventSource, retry }: LiveOptions): StreamState {
  const [state, setState] = useState<StreamState>('connecting');
  // The latest callbacks, without reopening the stream whenever a parent re-renders.
  const handlers = useRef({ onApproval, onLive });
  handlers.current = { onApproval, onLive };

  useEffect(() => {
    const stream = new ApprovalStream({
      baseUrl,
      ticketId,
      sessions,
      eventSource,
      retry,
      onApproval: (approval, event) => handlers.current.onApproval(approval, event),
      onStateChange: (next) => {
        setState(next);
        if (next === 'live') handlers.current.onLive?.();
      },
    });
    stream.start();
    return () => stream.stop();
  }, [baseUrl, ticketId, sessions, eventSource, retry]);

  return state;
}
