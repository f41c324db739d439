// Coloured tags for an approval's risk and outcome.
import { Tag } from '@zendeskgarden/react-tags';
import type { ApprovalStatus, ApprovalView } from '@countersign/shared';
import { useI18n } from '../i18n/i18n-context';

type RiskLevel = ApprovalView['riskLevel'];

const RISK_HUES: Record<RiskLevel, string> = { low: 'green', medium: 'yellow', high: 'orange', critical: 'red' };
const STATUS_HUES: Record<ApprovalStatus, string> = { pending: 'blue', approved: 'green', rejected: 'red', expired: 'grey', cancelled: 'grey' };

export function RiskTag({ level }: { level: RiskLevel }) {
  const { t } = useI18n();
  return (
    <Tag hue={RISK_HUES[level]} isPill data-testid="risk-tag" data-risk={level}>
      {t(`risk.${level}`)}
    </Tag>
  );
}

export function StatusTag({ status }: { status: ApprovalStatus }) {
  const { t } = useI18n();
  return (
    <Tag hue={STATUS_HUES[status]} data-testid="status-tag">
      {t(`status.${status}`)}
    </Tag>
  );
}
