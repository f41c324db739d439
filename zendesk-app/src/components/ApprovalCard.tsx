// A pending approval: what the automation wants to do and why, what it needs before it settles, with
// Approve, Reject and Edit (disabled, with the reason, for an agent who may not decide it).
import { useState } from 'react';
import styled from 'styled-components';
import { Button } from '@zendeskgarden/react-buttons';
import { Dots } from '@zendeskgarden/react-loaders';
import { Tag } from '@zendeskgarden/react-tags';
import { MD, Paragraph } from '@zendeskgarden/react-typography';
import { withoutBidiControls, type ApprovalView } from '@countersign/shared';
import type { DecisionChoice } from '../approvals/use-approvals';
import { useI18n } from '../i18n/i18n-context';
import { CannotDecideNote, mayDecide, RequirementLine } from './ApprovalRules';
import { RiskTag } from './ApprovalTags';
import { ActionName, ButtonRow, CardFrame, CardRow, SectionLabel, Subtle } from './card-frame';
import { DetailsTable } from './DetailsTable';
import { EditForm } from './EditForm';
import { RejectForm } from './RejectForm';

type Mode = 'view' | 'reject' | 'edit';

const Summary = styled(MD)`
  margin-top: ${({ theme }) => theme.space.xs};
`;

interface ApprovalCardProps {
  approval: ApprovalView;
  busy: boolean;
  onDecide: (choice: DecisionChoice) => Promise<boolean>;
  /** Zendesk group names by id, for the rule's reviewers. */
  groupNames?: ReadonlyMap<string, string>;
}

const NO_GROUP_NAMES: ReadonlyMap<string, string> = new Map();

export function ApprovalCard({ approval, busy, onDecide, groupNames = NO_GROUP_NAMES }: ApprovalCardProps) {
  const { t } = useI18n();
  const [chosenMode, setMode] = useState<Mode>('view');
  // An open form closes when the agent may no longer decide (their approval counted, a refusal).
  const allowed = mayDecide(approval);
  const mode = allowed ? chosenMode : 'view';
  const headingId = `approval-${approval.approvalId}-summary`;

  const send = async (choice: DecisionChoice) => {
    // A failed decision keeps the form open with what the agent typed.
    if (await onDecide(choice)) setMode('view');
  };

  return (
    <CardFrame data-testid="approval-card" data-approval-id={approval.approvalId} data-status="pending" aria-labelledby={headingId} aria-busy={busy}>
      <ApprovalHeading approval={approval} headingId={headingId} />
      <RequirementLine approval={approval} groupNames={groupNames} />
      {mode === 'edit' ? (
        <EditForm
          details={approval.details}
          busy={busy}
          onCancel={() => setMode('view')}
          onApprove={(patch, note) => void send({ decision: 'approve', ...(patch ? { modifiedDetails: patch } : {}), ...(note ? { note } : {}) })}
        />
      ) : (
        <>
          <SectionLabel>{t('card.details')}</SectionLabel>
          <DetailsTable details={approval.details} />
        </>
      )}
      {mode === 'reject' ? (
        <RejectForm busy={busy} onCancel={() => setMode('view')} onConfirm={(note) => void send({ decision: 'reject', ...(note ? { note } : {}) })} />
      ) : null}
      <CannotDecideNote approval={approval} />
      {mode === 'view' ? (
        <ButtonRow>
          <Button isPrimary size="small" data-testid="approve-button" disabled={busy || !allowed} onClick={() => void send({ decision: 'approve' })}>
            {t('actions.approve')}
          </Button>
          <Button isDanger size="small" data-testid="reject-button" disabled={busy || !allowed} onClick={() => setMode('reject')}>
            {t('actions.reject')}
          </Button>
          <Button isBasic size="small" data-testid="edit-button" disabled={busy || !allowed} onClick={() => setMode('edit')}>
            {t('actions.edit')}
          </Button>
        </ButtonRow>
      ) : null}
      {busy ? (
        <Subtle role="status">
          <Dots size={16} /> {t('actions.sending')}
        </Subtle>
      ) : null}
    </CardFrame>
  );
}

function ApprovalHeading({ approval, headingId }: { approval: ApprovalView; headingId: string }) {
  const { t, formatDateTime } = useI18n();
  const urgent = approval.priority === 'high' || approval.priority === 'urgent';
  return (
    <>
      <CardRow>
        <RiskTag level={approval.riskLevel} />
        {urgent ? <Tag hue="red">{t(approval.priority === 'urgent' ? 'priority.urgent' : 'priority.high')}</Tag> : null}
        <ActionName>{withoutBidiControls(approval.action)}</ActionName>
      </CardRow>
      <Summary isBold id={headingId}>
        {withoutBidiControls(approval.summary)}
      </Summary>
      {approval.justification ? (
        <>
          <SectionLabel>{t('card.justification')}</SectionLabel>
          <Paragraph size="small">{withoutBidiControls(approval.justification)}</Paragraph>
        </>
      ) : null}
      <Subtle>
        {approval.agentName ? <div>{t('card.requestedBy', { agent: withoutBidiControls(approval.agentName) })}</div> : null}
        <div>{t('card.expires', { when: formatDateTime(approval.expiresAt) })}</div>
      </Subtle>
    </>
  );
}
