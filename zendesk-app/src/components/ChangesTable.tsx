// What a reviewer changed before approving: each changed detail path, its new value and what it was
// (the shared list of changes, so the sidebar says what the callback and the notes say).
import styled from 'styled-components';
import { Body, Cell, Row, Table } from '@zendeskgarden/react-tables';
import { withoutBidiControls, type DetailChange } from '@countersign/shared';
import { formatDetailValue } from '../approvals/detail-values';
import { useI18n } from '../i18n/i18n-context';
import { Subtle } from './card-frame';

const TextCell = styled(Cell)`
  white-space: pre-wrap;
  vertical-align: top;
`;

export function ChangesTable({ changes }: { changes: readonly DetailChange[] }) {
  const { t } = useI18n();
  return (
    <Table size="small" isReadOnly data-testid="changes-table">
      <Body>
        {changes.map((change, index) => (
          <Row key={`${index}:${change.path}`} data-detail-key={change.path}>
            <TextCell width="38%">
              <strong>{withoutBidiControls(change.path)}</strong>
            </TextCell>
            <TextCell>
              {'to' in change ? formatDetailValue(change.to) : <em>{t('decided.removed')}</em>}
              <Subtle>{'from' in change ? t('decided.originalValue', { value: formatDetailValue(change.from) }) : t('decided.added')}</Subtle>
            </TextCell>
          </Row>
        ))}
      </Body>
    </Table>
  );
}
