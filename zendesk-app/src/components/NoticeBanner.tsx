// The one notice the sidebar shows at a time, worded for what the agent can do next.
import { useEffect } from 'react';
import styled from 'styled-components';
import { Alert } from '@zendeskgarden/react-notifications';
import { Button } from '@zendeskgarden/react-buttons';
import { withoutBidiControls } from '@countersign/shared';
import type { Notice, NoticeFacts } from '../approvals/notice';
import { counted } from '../approvals/requirement-words';
import { useI18n } from '../i18n/i18n-context';
import type { Translate } from '../i18n/translator';

const SUCCESS_VISIBLE_MS = 6_000;
const ALERT_TYPES = {
  unreachable: 'error',
  unauthorized: 'error',
  busy: 'warning',
  conflict: 'warning',
  error: 'error',
  success: 'success',
  recorded: 'success',
  alreadyApproved: 'info',
  refused: 'warning',
} as const;
/** Notices that go away by themselves: good news, and nothing the agent must act on. */
const FADING = new Set(['success', 'recorded']);

const Frame = styled.div`
  margin-bottom: ${({ theme }) => theme.space.sm};
`;

const RetryRow = styled.div`
  margin-top: ${({ theme }) => theme.space.xs};
`;

/** Without `onDismiss` the notice stays until the state behind it changes (startup failures). */
export function NoticeBanner({ notice, onDismiss }: { notice: Notice; onDismiss?: () => void }) {
  const { t } = useI18n();
  useEffect(() => {
    if (!FADING.has(notice.kind) || !onDismiss) return;
    const timer = setTimeout(onDismiss, SUCCESS_VISIBLE_MS);
    return () => clearTimeout(timer);
  }, [notice, onDismiss]);

  const { title, body } = wording(notice, t);
  const retry = 'retry' in notice ? notice.retry : undefined;
  return (
    <Frame>
      <Alert type={ALERT_TYPES[notice.kind]} data-testid="notice" data-kind={notice.kind} role={FADING.has(notice.kind) ? 'status' : 'alert'}>
        <Alert.Title>{title}</Alert.Title>
        <Alert.Paragraph>{body}</Alert.Paragraph>
        {retry ? (
          <RetryRow>
            <Button size="small" data-testid="notice-retry" onClick={retry}>
              {t('notice.retry')}
            </Button>
          </RetryRow>
        ) : null}
        {onDismiss ? <Alert.Close aria-label={t('notice.dismiss')} onClick={onDismiss} /> : null}
      </Alert>
    </Frame>
  );
}

function wording(notice: NoticeFacts, t: Translate): { title: string; body: string } {
  switch (notice.kind) {
    case 'unreachable':
      return { title: t('notice.unreachable.title'), body: t('notice.unreachable.body') };
    case 'unauthorized':
      return { title: t('notice.unauthorized.title'), body: t('notice.unauthorized.body') };
    case 'busy':
      return { title: t('notice.busy.title'), body: t('notice.busy.body') };
    case 'conflict':
      return { title: t('notice.conflict.title'), body: conflictBody(notice.approval, t) };
    case 'error':
      return { title: t('notice.error.title'), body: notice.message ? withoutBidiControls(notice.message) : t('notice.error.unexpectedAnswer') };
    case 'success':
      return { title: t(`notice.success.${notice.outcome}`, { action: withoutBidiControls(notice.action) }), body: t('notice.success.body') };
    case 'recorded':
      return { title: counted(t, 'rules.recorded', notice.remaining), body: t('rules.recorded.body') };
    case 'alreadyApproved':
      return { title: t('rules.alreadyApproved.title'), body: t('rules.alreadyApproved.body', { count: notice.remaining }) };
    case 'refused':
      return { title: t('rules.refused.title'), body: withoutBidiControls(notice.message) };
  }
}

function conflictBody(approval: Extract<NoticeFacts, { kind: 'conflict' }>['approval'], t: Translate): string {
  switch (approval?.status) {
    case 'approved':
    case 'rejected':
      return t(`notice.conflict.${approval.status}`, { name: approval.decidedBy ? withoutBidiControls(approval.decidedBy.name) : '—' });
    case 'expired':
    case 'cancelled':
      return t(`notice.conflict.${approval.status}`);
    default:
      return t('notice.conflict.unknown');
  }
}
