// Rejecting asks for a note: optional, but it is what tells the automation (and the team) why.
import { useState } from 'react';
import styled from 'styled-components';
import { Button } from '@zendeskgarden/react-buttons';
import { Field, Textarea } from '@zendeskgarden/react-forms';
import { useI18n } from '../i18n/i18n-context';
import { ButtonRow } from './card-frame';

const Form = styled.div`
  margin-top: ${({ theme }) => theme.space.sm};
`;

interface RejectFormProps {
  busy: boolean;
  onConfirm: (note: string) => void;
  onCancel: () => void;
}

export function RejectForm({ busy, onConfirm, onCancel }: RejectFormProps) {
  const { t } = useI18n();
  const [note, setNote] = useState('');
  return (
    <Form data-testid="reject-form">
      <Field>
        <Field.Label>{t('reject.label')}</Field.Label>
        <Field.Hint>{t('reject.hint')}</Field.Hint>
        <Textarea
          data-testid="reject-note"
          value={note}
          minRows={3}
          maxRows={8}
          maxLength={5000}
          placeholder={t('reject.placeholder')}
          onChange={(event) => setNote(event.target.value)}
          autoFocus
        />
      </Field>
      <ButtonRow>
        <Button isDanger isPrimary size="small" data-testid="reject-confirm" disabled={busy} onClick={() => onConfirm(note.trim())}>
          {t('actions.confirmReject')}
        </Button>
        <Button isBasic size="small" data-testid="reject-cancel" disabled={busy} onClick={onCancel}>
          {t('actions.cancel')}
        </Button>
      </ButtonRow>
    </Form>
  );
}
