// An approval's details as a key/value table. Values are untrusted and only ever rendered as text.
import styled from 'styled-components';
import { withoutBidiControls } from '@countersign/shared';
import { Body, Cell, Head, HeaderCell, HeaderRow, Row, Table } from '@zendeskgarden/react-tables';
import { useI18n } from '../i18n/i18n-context';
import { formatDetailValue, isStructured } from '../approvals/detail-values';
import { Subtle } from './card-frame';

// Auto layout lets the key column fit its longest key instead of breaking "subscription_id" mid-word.
const KeyValueTable = styled(Table)`
  table-layout: auto;
`;

// A key/value table needs no visible "Field / Value" row; screen readers still get the headers.
const HiddenHead = styled(Head)`
  position: absolute;
  width: 1px;
  height: 1px;
  overflow: hidden;
  clip: rect(0 0 0 0);
  white-space: nowrap;
`;

const KeyCell = styled(Cell)`
  width: 1%;
  max-width: 45%;
  padding-inline-end: ${({ theme }) => theme.space.sm};
  font-weight: ${({ theme }) => theme.fontWeights.semibold};
  vertical-align: top;
  overflow-wrap: break-word;
`;

const ValueCell = styled(Cell)<{ $structured: boolean }>`
  white-space: pre-wrap;
  vertical-align: top;
  overflow-wrap: anywhere;
  font-family: ${({ theme, $structured }) => ($structured ? theme.fonts.mono : 'inherit')};
  font-size: ${({ theme, $structured }) => ($structured ? theme.fontSizes.sm : 'inherit')};
`;

export function DetailsTable({ details }: { details: Record<string, unknown> }) {
  const { t } = useI18n();
  const entries = Object.entries(details);
  if (entries.length === 0) return <Subtle>{t('details.none')}</Subtle>;
  return (
    <KeyValueTable size="small" isReadOnly data-testid="details-table">
      <HiddenHead>
        <HeaderRow>
          <HeaderCell>{t('details.field')}</HeaderCell>
          <HeaderCell>{t('details.value')}</HeaderCell>
        </HeaderRow>
      </HiddenHead>
      <Body>
        {entries.map(([key, value]) => (
          <Row key={key} data-detail-key={key}>
            <KeyCell>{withoutBidiControls(key)}</KeyCell>
            <ValueCell $structured={isStructured(value)}>{formatDetailValue(value)}</ValueCell>
          </Row>
        ))}
      </Body>
    </KeyValueTable>
  );
}
