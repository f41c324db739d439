// What a pending request needs before it settles (and the rule that says so), and, for an agent who
// may not decide it, why not: a translated headline over Countersign's own reason (in English).
import styled from 'styled-components';
import { getColor } from '@zendeskgarden/react-theming';
import { approvalNeeds, withoutBidiControls, type ApprovalView } from '@countersign/shared';
import { counted, requirementSentence } from '../approvals/requirement-words';
import type { MessageKey } from '../i18n/catalogs';
import { useI18n } from '../i18n/i18n-context';
import { Subtle } from './card-frame';

const Requirement = styled.div`
  margin-top: ${({ theme }) => theme.space.xs};
  font-size: ${({ theme }) => theme.fontSizes.sm};
  line-height: ${({ theme }) => theme.lineHeights.sm};
`;

const Refusal = styled.div`
  margin-top: ${({ theme }) => theme.space.sm};
  padding: ${({ theme }) => theme.space.xs} ${({ theme }) => theme.space.sm};
  border-left: ${({ theme }) => theme.borderWidths.md} solid ${({ theme }) => getColor({ theme, variable: 'border.warningEmphasis' })};
  background-color: ${({ theme }) => getColor({ theme, variable: 'background.subtle' })};
  font-size: ${({ theme }) => theme.fontSizes.sm};
  line-height: ${({ theme }) => theme.lineHeights.sm};
`;

const HEADLINES: Readonly<Record<string, MessageKey>> = {
  self_approval: 'rules.cannotDecide.self_approval',
  reviewer_not_eligible: 'rules.cannotDecide.reviewer_not_eligible',
};

export function RequirementLine({ approval, groupNames }: { approval: ApprovalView; groupNames: ReadonlyMap<string, string> }) {
  const { t, language } = useI18n();
  const needs = approvalNeeds(approval);
  return (
    <Requirement data-testid="requirement">
      <div data-testid="requirement-text">{requirementSentence(needs, { t, language, groupNames })}</div>
      {needs.ruleId ? <Subtle data-testid="requirement-rule">{t('rules.rule', { rule: withoutBidiControls(needs.ruleId) })}</Subtle> : null}
    </Requirement>
  );
}

/**
 * Whether this agent's Approve / Reject / Edit are enabled. An unverified agent session is left to
 * the sign-in flow ("Confirm it's you"): its buttons stay, and the decision asks for the sign-in.
 */
export function mayDecide(approval: ApprovalView): boolean {
  return approval.canDecide !== false || approval.cannotDecideCode === 'reviewer_unverified';
}

export function CannotDecideNote({ approval }: { approval: ApprovalView }) {
  const { t } = useI18n();
  if (mayDecide(approval)) return null;
  const code = approval.cannotDecideCode ?? '';
  const headline =
    code === 'already_approved'
      ? counted(t, 'rules.recorded', Math.max(1, approvalNeeds(approval).remaining))
      : t(Object.hasOwn(HEADLINES, code) ? HEADLINES[code]! : 'rules.cannotDecide.title');
  return (
    <Refusal role="note" data-testid="cannot-decide" data-code={code}>
      <strong data-testid="cannot-decide-title">{headline}</strong>
      {approval.cannotDecideReason && code !== 'already_approved' ? <div data-testid="cannot-decide-reason">{withoutBidiControls(approval.cannotDecideReason)}</div> : null}
    </Refusal>
  );
}
