// What a reviewer changed before approving: each edited detail, its new value and what it was.
import styled from 'styled-components';
import { Body, Cell, Row, Table } from '@zendeskgarden/react-tables';
import { formatDetailValue, sameValue } from '../approvals/detail-values';
import { useI18n } from '../i18n/i18n-context';
import { Subtle } from './card-frame';

const TextCell = styled(Cell)`
  white-space: pre-wrap;
  vertical-align: top;
`;

export function changedKeys(details: Record<string, unknown>, modified: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(details), ...Object.keys(modified)]);
  return [...keys].filter((key) => !sameValue(details[key], modified[key]));
}

export function ChangesTable({ details, modified }: { details: Record<string, unknown>; modified: Record<string, unknown> }) {
  const { t } = useI18n();
  return (
    <Table size="small" isReadOnly data-testid="changes-table">
      <Body>
        {changedKeys(details, modified).map((key) => (
          <Row key={key} data-detail-key={key}>
            <TextCell width="38%">
              <strong>{key}</strong>
            </TextCell>
            <TextCell>
              {formatDetailValue(modified[key])}
              <Subtle>{t('decided.originalValue', { value: formatDetailValue(details[key]) })}</Subtle>
            </TextCell>
          </Row>
        ))}
      </Body>
    </Table>
  );
}
