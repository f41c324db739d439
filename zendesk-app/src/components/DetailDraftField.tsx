// One editable detail: a checkbox for booleans, a JSON textarea for nested values, a text input otherwise.
import styled from 'styled-components';
import { Checkbox, Field, Input, Textarea } from '@zendeskgarden/react-forms';
import { getColor } from '@zendeskgarden/react-theming';
import { withoutBidiControls } from '@countersign/shared';
import type { DetailDraft, DraftProblem } from '../approvals/detail-edits';
import { useI18n } from '../i18n/i18n-context';
import type { MessageKey } from '../i18n/catalogs';

const PROBLEM_MESSAGES: Record<DraftProblem, MessageKey> = {
  not_a_number: 'edit.notANumber',
  unrepresentable_number: 'edit.numberTooLarge',
  not_true_or_false: 'edit.notTrueOrFalse',
  invalid_json: 'edit.invalidJson',
  not_an_array: 'edit.notAnArray',
  not_an_object: 'edit.notAnObject',
  forbidden_key: 'edit.forbiddenKey',
  too_deep: 'edit.tooDeep',
  null_removes: 'edit.nullRemoves',
};
const LONG_TEXT = 80;

const FieldBox = styled.div`
  margin-top: ${({ theme }) => theme.space.sm};
`;

const ChangedMark = styled.span`
  margin-inline-start: ${({ theme }) => theme.space.xs};
  color: ${({ theme }) => getColor({ theme, variable: 'foreground.primary' })};
  font-size: ${({ theme }) => theme.fontSizes.xs};
  font-weight: ${({ theme }) => theme.fontWeights.regular};
`;

const MonoTextarea = styled(Textarea)`
  font-family: ${({ theme }) => theme.fonts.mono};
  font-size: ${({ theme }) => theme.fontSizes.sm};
`;

interface DetailDraftFieldProps {
  draft: DetailDraft;
  changed: boolean;
  problem: DraftProblem | undefined;
  disabled: boolean;
  onChange: (value: string | boolean) => void;
}

export function DetailDraftField({ draft, changed, problem, disabled, onChange }: DetailDraftFieldProps) {
  const { t } = useI18n();
  const testId = `detail-input-${draft.key}`;
  const label = withoutBidiControls(draft.key);
  const mark = changed ? <ChangedMark>{t('edit.changed')}</ChangedMark> : null;

  if (typeof draft.value === 'boolean') {
    return (
      <FieldBox>
        <Field>
          <Checkbox data-testid={testId} checked={draft.value} disabled={disabled} onChange={(event) => onChange(event.target.checked)}>
            <Field.Label>
              {label}
              {mark}
            </Field.Label>
          </Checkbox>
        </Field>
      </FieldBox>
    );
  }

  const text = draft.value;
  const validation = problem ? 'error' : undefined;
  const common = { 'data-testid': testId, value: text, disabled, validation, onChange: (event: { target: { value: string } }) => onChange(event.target.value) } as const;
  return (
    <FieldBox>
      <Field>
        <Field.Label>
          {label}
          {mark}
        </Field.Label>
        {draft.kind === 'json' ? (
          <MonoTextarea {...common} minRows={3} maxRows={12} spellCheck={false} />
        ) : text.includes('\n') || text.length > LONG_TEXT ? (
          <Textarea {...common} minRows={2} maxRows={8} />
        ) : (
          <Input {...common} inputMode={draft.kind === 'number' ? 'decimal' : undefined} />
        )}
        {problem ? <Field.Message validation="error">{t(PROBLEM_MESSAGES[problem])}</Field.Message> : null}
      </Field>
    </FieldBox>
  );
}
