// The ticket's approvals: pending ones first (they need the agent), then the decided history.
import { useCallback, useEffect, useRef } from 'react';
import styled from 'styled-components';
import { Dots } from '@zendeskgarden/react-loaders';
import { MD } from '@zendeskgarden/react-typography';
import { Button } from '@zendeskgarden/react-buttons';
import { getColor } from '@zendeskgarden/react-theming';
import type { ApprovalView, CountersignClient } from '@countersign/shared';
import { useApprovals, type DecisionChoice } from '../approvals/use-approvals';
import { useGroupNames } from '../approvals/use-group-names';
import { REFRESH_INTERVAL_MS, useRefreshTriggers } from '../approvals/use-refresh-triggers';
import { useI18n } from '../i18n/i18n-context';
import type { ReviewerSessionSource } from '../live/reviewer-session';
import { useApprovalStream } from '../live/use-approval-stream';
import type { SignInModel } from '../sign-in/use-sign-in';
import type { ZafClient } from '../zaf/zaf-client';
import { ApprovalCard } from './ApprovalCard';
import { DecidedCard } from './DecidedCard';
import { NoticeBanner } from './NoticeBanner';
import { SignInBanner } from './SignInBanner';
import { Subtle } from './card-frame';

const Heading = styled.h2`
  margin: ${({ theme }) => `${theme.space.sm} 0 ${theme.space.xs}`};
  color: ${({ theme }) => getColor({ theme, variable: 'foreground.subtle' })};
  font-size: ${({ theme }) => theme.fontSizes.sm};
  font-weight: ${({ theme }) => theme.fontWeights.semibold};
  line-height: ${({ theme }) => theme.lineHeights.sm};
`;

const Footer = styled.div`
  display: flex;
  align-items: center;
  justify-content: flex-end;
  gap: ${({ theme }) => theme.space.xs};
`;

const EmptyState = styled.div`
  padding: ${({ theme }) => theme.space.sm} 0;
`;

export const Loading = ({ label }: { label: string }) => (
  <Subtle data-testid="loading" role="status">
    <Dots size={16} /> {label}
  </Subtle>
);

interface SidebarProps {
  client: ZafClient;
  api: CountersignClient;
  ticketId: string;
  signIn: SignInModel;
  /** Countersign's base URL, for the live stream. */
  publicUrl: string;
  /** The agent's reviewer session for the stream (the sign-in's session keeper). */
  reviewerSessions: ReviewerSessionSource;
}

export function Sidebar({ client, api, ticketId, signIn, publicUrl, reviewerSessions }: SidebarProps) {
  const { t } = useI18n();
  const { approvals, notice, deciding, refresh, decide, dismissNotice, upsert } = useApprovals(api, ticketId, signIn.session?.reviewer ?? null, signIn.unverified);
  const stream = useApprovalStream({ baseUrl: publicUrl, ticketId, sessions: reviewerSessions, onApproval: upsert, onLive: refresh });
  // While the stream delivers, polling would only repeat it; Zendesk's own events still refresh.
  useRefreshTriggers(client, refresh, stream === 'live' ? null : REFRESH_INTERVAL_MS);
  useRefreshOnSession(signIn.session?.value ?? null, refresh);
  const groupNames = useGroupNames(client, approvals);
  const onDecide = useCallback((approval: ApprovalView) => (choice: DecisionChoice) => decide(approval, choice), [decide]);

  const pending = approvals?.filter((item) => item.status === 'pending') ?? [];
  const decided = approvals?.filter((item) => item.status !== 'pending') ?? [];
  return (
    <>
      <SignInBanner signIn={signIn} needed={pending.length > 0} />
      {notice ? <NoticeBanner notice={notice} onDismiss={dismissNotice} /> : null}
      {approvals === null ? (
        notice ? null : <Loading label={t('sidebar.loading')} />
      ) : (
        <>
          {pending.length > 0 ? (
            <section aria-label={t('sidebar.pendingHeading', { count: pending.length })}>
              <Heading>{t('sidebar.pendingHeading', { count: pending.length })}</Heading>
              {pending.map((approval) => (
                <ApprovalCard key={approval.approvalId} approval={approval} busy={deciding.has(approval.approvalId)} onDecide={onDecide(approval)} groupNames={groupNames} />
              ))}
            </section>
          ) : (
            <EmptyState data-testid="empty-state">
              <MD isBold>{t('sidebar.empty.title')}</MD>
              <Subtle>{t('sidebar.empty.body')}</Subtle>
            </EmptyState>
          )}
          {decided.length > 0 ? (
            <section aria-label={t('sidebar.decidedHeading', { count: decided.length })}>
              <Heading>{t('sidebar.decidedHeading', { count: decided.length })}</Heading>
              {decided.map((approval) => (
                <DecidedCard key={approval.approvalId} approval={approval} />
              ))}
            </section>
          ) : null}
          <Footer>
            <Subtle data-testid="live-status" data-state={stream}>
              {stream === 'live' ? t('sidebar.live') : null}
            </Subtle>
            <Button isLink size="small" data-testid="refresh-button" onClick={() => void refresh()}>
              {t('sidebar.refresh')}
            </Button>
          </Footer>
        </>
      )}
    </>
  );
}

/** Who may decide what depends on the session (canDecide): list again when it comes or goes. */
function useRefreshOnSession(session: string | null, refresh: () => Promise<void>): void {
  const listedWith = useRef(session);
  useEffect(() => {
    if (listedWith.current === session) return;
    listedWith.current = session;
    void refresh();
  }, [session, refresh]);
}
