// The agent's queue in the top bar: the requests waiting for them on any ticket, most urgent first,
// each with its risk, age and expiry; a click opens the ticket.
import { useEffect, useMemo, useState } from 'react';
import styled from 'styled-components';
import { Dots } from '@zendeskgarden/react-loaders';
import { MD } from '@zendeskgarden/react-typography';
import { Tag } from '@zendeskgarden/react-tags';
import { getColor } from '@zendeskgarden/react-theming';
import { withoutBidiControls, type CountersignClient } from '@countersign/shared';
import { failureNotice } from '../approvals/use-approvals';
import { RiskTag } from '../components/ApprovalTags';
import { ActionName, CardRow, Subtle } from '../components/card-frame';
import { NoticeBanner } from '../components/NoticeBanner';
import { useI18n } from '../i18n/i18n-context';
import { createRelativeTimeFormatter } from '../i18n/relative-time';
import type { ReviewerSessionSource } from '../live/reviewer-session';
import type { ZafClient } from '../zaf/zaf-client';
import { invokeQuietly, MAX_PAGES, useQueue } from './use-queue';
import type { QueueItem } from './urgency';

/** Ages and expiries are re-worded this often. */
const CLOCK_MS = 30_000;

const Heading = styled.h2`
  margin: 0 0 ${({ theme }) => theme.space.sm};
  font-size: ${({ theme }) => theme.fontSizes.md};
  font-weight: ${({ theme }) => theme.fontWeights.semibold};
  line-height: ${({ theme }) => theme.lineHeights.md};
`;

const List = styled.ul`
  margin: 0;
  padding: 0;
  list-style: none;
`;

const Entry = styled.button`
  display: block;
  width: 100%;
  margin: 0 0 ${({ theme }) => theme.space.xs};
  padding: ${({ theme }) => theme.space.sm};
  border: ${({ theme }) => theme.borders.sm} ${({ theme }) => getColor({ theme, variable: 'border.default' })};
  border-radius: ${({ theme }) => theme.borderRadii.md};
  background-color: ${({ theme }) => getColor({ theme, variable: 'background.raised' })};
  color: inherit;
  font: inherit;
  text-align: start;
  overflow-wrap: anywhere;
  cursor: pointer;
  &:hover,
  &:focus-visible {
    border-color: ${({ theme }) => getColor({ theme, variable: 'border.primaryEmphasis' })};
  }
`;

const Summary = styled(MD)`
  margin-top: ${({ theme }) => theme.space.xxs};
`;

interface QueueProps {
  client: ZafClient;
  api: CountersignClient;
  publicUrl: string;
  sessions: ReviewerSessionSource;
}

export const QueueLoading = () => {
  const { t } = useI18n();
  return (
    <Subtle data-testid="queue-loading" role="status">
      <Dots size={16} /> {t('queue.loading')}
    </Subtle>
  );
};

export function Queue({ client, api, publicUrl, sessions }: QueueProps) {
  const { t } = useI18n();
  const queue = useQueue({ client, api, publicUrl, sessions, t });
  const count = queue.truncated ? `${queue.items.length}+` : String(queue.items.length);
  if (queue.status === 'signedOut') return <SignInHint />;
  const failure = queue.failure ? failureNotice(queue.failure, () => void queue.refresh()) : null;
  return (
    <section aria-labelledby="queue-heading" data-testid="queue" data-count={queue.items.length} data-stream={queue.stream}>
      <Heading id="queue-heading" data-testid="queue-heading">
        {t('queue.heading', { count })}
      </Heading>
      {failure ? <NoticeBanner notice={{ ...failure, id: 0, origin: 'list' }} /> : null}
      {queue.status === 'loading' ? <QueueLoading /> : null}
      {queue.status === 'ready' && queue.items.length === 0 ? <EmptyQueue /> : null}
      {queue.items.length > 0 ? (
        <List>
          {queue.items.map((item) => (
            <li key={item.approvalId}>
              <QueueEntry item={item} onOpen={() => openTicket(client, item)} />
            </li>
          ))}
        </List>
      ) : null}
      {queue.truncated ? <Subtle>{t('queue.truncated', { count: queue.items.length, pages: MAX_PAGES })}</Subtle> : null}
    </section>
  );
}

function QueueEntry({ item, onOpen }: { item: QueueItem; onOpen: () => void }) {
  const { t, locale } = useI18n();
  const now = useClock(CLOCK_MS);
  const relative = useMemo(() => createRelativeTimeFormatter(locale), [locale]);
  const urgent = item.priority === 'high' || item.priority === 'urgent';
  return (
    <Entry type="button" data-testid="queue-item" data-approval-id={item.approvalId} data-ticket-id={item.context.ticketId} onClick={onOpen}>
      <CardRow>
        <RiskTag level={item.riskLevel} />
        {urgent ? <Tag hue="red">{t(item.priority === 'urgent' ? 'priority.urgent' : 'priority.high')}</Tag> : null}
        <ActionName>{withoutBidiControls(item.action)}</ActionName>
      </CardRow>
      <Summary isBold>{withoutBidiControls(item.summary)}</Summary>
      <Subtle>
        <div>{t('queue.ticket', { ticketId: withoutBidiControls(item.context.ticketId) })}</div>
        <div data-testid="queue-item-age">{t('queue.age', { when: relative(item.createdAt, now) })}</div>
        <div data-testid="queue-item-expiry">{t('queue.expires', { when: relative(item.expiresAt, now) })}</div>
      </Subtle>
    </Entry>
  );
}

function EmptyQueue() {
  const { t } = useI18n();
  return (
    <div data-testid="queue-empty">
      <MD isBold>{t('queue.empty.title')}</MD>
      <Subtle>{t('queue.empty.body')}</Subtle>
    </div>
  );
}

/** Nobody can say what the agent may decide until Zendesk has vouched for them (the sidebar's sign-in). */
function SignInHint() {
  const { t } = useI18n();
  return (
    <div data-testid="queue-signed-out">
      <MD isBold>{t('queue.signedOut.title')}</MD>
      <Subtle>{t('queue.signedOut.body')}</Subtle>
    </div>
  );
}

function openTicket(client: ZafClient, item: QueueItem): void {
  invokeQuietly(client, 'routeTo', 'ticket', item.context.ticketId);
  invokeQuietly(client, 'popover', 'hide');
}

function useClock(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
