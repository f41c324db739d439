// Edit-then-approve: the agent corrects detail values (an amount, an address) and approves the
// corrected action. What changed is sent as a merge patch; Countersign hands the automation the
// complete corrected details.
import { useMemo, useState, type FormEvent } from 'react';
import styled from 'styled-components';
import { Button } from '@zendeskgarden/react-buttons';
import { Field, Textarea } from '@zendeskgarden/react-forms';
import type { JsonObject } from '@countersign/shared';
import { applyEdits, draftsFor, type DetailDraft } from '../approvals/detail-edits';
import { useI18n } from '../i18n/i18n-context';
import { ButtonRow, Subtle } from './card-frame';
import { DetailDraftField } from './DetailDraftField';

const NoteBox = styled.div`
  margin-top: ${({ theme }) => theme.space.sm};
`;

interface EditFormProps {
  details: Record<string, unknown>;
  busy: boolean;
  /** `patch` is the merge patch of the edits, null when nothing changed. */
  onApprove: (patch: JsonObject | null, note: string) => void;
  onCancel: () => void;
}

export function EditForm({ details, busy, onApprove, onCancel }: EditFormProps) {
  const { t } = useI18n();
  const [drafts, setDrafts] = useState<DetailDraft[]>(() => draftsFor(details));
  const [note, setNote] = useState('');
  const outcome = useMemo(() => applyEdits(details, drafts), [details, drafts]);
  const blocked = outcome.problems.size > 0;

  const update = (key: string, value: string | boolean) =>
    setDrafts((current) => current.map((draft) => (draft.key === key ? { ...draft, value } : draft)));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!blocked && !busy) onApprove(outcome.patch, note.trim());
  };

  return (
    <form data-testid="edit-form" onSubmit={submit} noValidate>
      <Subtle>{t('edit.hint')}</Subtle>
      {drafts.map((draft) => (
        <DetailDraftField
          key={draft.key}
          draft={draft}
          changed={outcome.changedKeys.includes(draft.key)}
          problem={outcome.problems.get(draft.key)}
          disabled={busy}
          onChange={(value) => update(draft.key, value)}
        />
      ))}
      <NoteBox>
        <Field>
          <Field.Label>{t('edit.noteLabel')}</Field.Label>
          <Textarea data-testid="edit-note" value={note} minRows={2} maxRows={6} maxLength={5000} disabled={busy} onChange={(event) => setNote(event.target.value)} />
        </Field>
      </NoteBox>
      <ButtonRow>
        <Button type="submit" isPrimary size="small" data-testid="edit-approve" disabled={busy || blocked}>
          {t('actions.approveWithChanges')}
        </Button>
        <Button isBasic size="small" data-testid="edit-cancel" disabled={busy} onClick={onCancel}>
          {t('actions.cancel')}
        </Button>
      </ButtonRow>
    </form>
  );
}
