// A request that is no longer pending, folded to one line (outcome, who — a person, or the policy rule
// that decided it at intake — when) until the agent opens it to see the details, the note and any changes.
import { useId, useState } from 'react';
import styled from 'styled-components';
import { Button } from '@zendeskgarden/react-buttons';
import { Paragraph } from '@zendeskgarden/react-typography';
import { approvalChanges, withoutBidiControls, type ApprovalView } from '@countersign/shared';
import { approvalsLine, policyDecisionLine } from '../approvals/requirement-words';
import { useI18n } from '../i18n/i18n-context';
import { StatusTag } from './ApprovalTags';
import { ActionName, CardFrame, CardRow, SectionLabel, Subtle } from './card-frame';
import { ChangesTable } from './ChangesTable';
import { DetailsTable } from './DetailsTable';

const Expanded = styled.div`
  margin-top: ${({ theme }) => theme.space.xs};
`;

export function DecidedCard({ approval }: { approval: ApprovalView }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const contentId = useId();
  const changes = approvalChanges(approval.details, approval.modifiedDetails);
  return (
    <CardFrame data-testid="decided-card" data-approval-id={approval.approvalId} data-status={approval.status}>
      <CardRow>
        <StatusTag status={approval.status} />
        <ActionName>{withoutBidiControls(approval.action)}</ActionName>
      </CardRow>
      <DecisionLine approval={approval} />
      <Button isLink size="small" data-testid="decided-toggle" aria-expanded={open} aria-controls={contentId} onClick={() => setOpen(!open)}>
        {t(open ? 'decided.hide' : 'decided.show')}
      </Button>
      {open ? (
        <Expanded id={contentId}>
          <Paragraph size="small">{withoutBidiControls(approval.summary)}</Paragraph>
          {approval.decisionNote ? (
            <>
              <SectionLabel>{t('decided.note')}</SectionLabel>
              <Paragraph size="small" data-testid="decision-note">
                {withoutBidiControls(approval.decisionNote)}
              </Paragraph>
            </>
          ) : null}
          {changes.length > 0 ? (
            <>
              <SectionLabel>{t('decided.changes')}</SectionLabel>
              <ChangesTable changes={changes} />
            </>
          ) : null}
          <SectionLabel>{t('card.details')}</SectionLabel>
          <DetailsTable details={approval.details} />
        </Expanded>
      ) : null}
    </CardFrame>
  );
}

function DecisionLine({ approval }: { approval: ApprovalView }) {
  const { t, language, formatDateTime } = useI18n();
  const status = t(`status.${approval.status}`);
  const who = policyDecisionLine(approval, t) ?? approvalsLine(approval, { t, language }) ?? (approval.decidedBy ? t('decided.byWhom', { status, name: withoutBidiControls(approval.decidedBy.name) }) : status);
  const at = approval.decidedAt ?? (approval.status === 'expired' ? approval.expiresAt : null);
  return (
    <Subtle data-testid="decided-by">
      {who}
      {at ? ` ${t('decided.when', { when: formatDateTime(at) })}` : null}
    </Subtle>
  );
}
