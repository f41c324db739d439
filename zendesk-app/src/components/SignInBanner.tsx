// "Confirm it's you": above the requests while the agent has no session Zendesk vouched for, and a quiet
// line naming who decides once they have one.
import styled from 'styled-components';
import { Alert } from '@zendeskgarden/react-notifications';
import { Anchor, Button } from '@zendeskgarden/react-buttons';
import { withoutBidiControls } from '@countersign/shared';
import { useI18n } from '../i18n/i18n-context';
import type { SignInModel } from '../sign-in/use-sign-in';
import { Subtle } from './card-frame';

const Frame = styled.div`
  margin-bottom: ${({ theme }) => theme.space.sm};
`;

const ActionRow = styled.div`
  display: flex;
  flex-wrap: wrap;
  gap: ${({ theme }) => theme.space.xs};
  margin-top: ${({ theme }) => theme.space.xs};
`;

/** `needed`: whether anything on the ticket waits for a decision (no prompt on a ticket with none). */
export function SignInBanner({ signIn, needed }: { signIn: SignInModel; needed: boolean }) {
  const { t } = useI18n();
  if (signIn.phase === 'signed_in' && signIn.session) {
    return (
      <Subtle data-testid="signed-in-as" data-reviewer-id={signIn.session.reviewer.id}>
        {t('signIn.signedInAs', { name: withoutBidiControls(signIn.session.reviewer.name) })}
      </Subtle>
    );
  }
  if (signIn.phase === 'checking' || signIn.phase === 'signed_in' || !needed) return null;
  return (
    <Frame data-testid="sign-in-banner" data-phase={signIn.phase}>
      <Alert type={alertType(signIn.phase)} role="status">
        <Content signIn={signIn} />
      </Alert>
    </Frame>
  );
}

function Content({ signIn }: { signIn: SignInModel }) {
  const { t } = useI18n();
  const said = signIn.message ? withoutBidiControls(signIn.message) : null;
  switch (signIn.phase) {
    case 'waiting':
      return (
        <>
          <Alert.Title>{t('signIn.waitingTitle')}</Alert.Title>
          <Alert.Paragraph>{t(signIn.blockedUrl ? 'signIn.blockedBody' : 'signIn.waitingBody')}</Alert.Paragraph>
          <ActionRow>
            {signIn.blockedUrl ? (
              // rel="opener": the window may then tell the sidebar when it is done (it never sends a secret).
              <Anchor href={signIn.blockedUrl} target="_blank" rel="opener" data-testid="sign-in-link">
                {t('signIn.openWindow')}
              </Anchor>
            ) : null}
            <Button size="small" isBasic data-testid="sign-in-cancel" onClick={signIn.cancel}>
              {t('signIn.cancel')}
            </Button>
          </ActionRow>
        </>
      );
    case 'not_configured':
      return (
        <>
          <Alert.Title>{t('signIn.notConfiguredTitle')}</Alert.Title>
          <Alert.Paragraph>{t('signIn.notConfiguredBody')}</Alert.Paragraph>
        </>
      );
    case 'refused':
    case 'failed':
      return (
        <>
          <Alert.Title>{t(signIn.phase === 'refused' ? 'signIn.refusedTitle' : 'signIn.failedTitle')}</Alert.Title>
          <Alert.Paragraph data-testid="sign-in-message">{said ?? t('signIn.failedBody')}</Alert.Paragraph>
          <ActionRow>
            <Button size="small" data-testid="sign-in-button" onClick={signIn.begin}>
              {t('signIn.retry')}
            </Button>
          </ActionRow>
        </>
      );
    default:
      return (
        <>
          <Alert.Title>{t('signIn.title')}</Alert.Title>
          <Alert.Paragraph>{t(signIn.askedAgain ? 'signIn.againBody' : 'signIn.body')}</Alert.Paragraph>
          <ActionRow>
            <Button size="small" isPrimary data-testid="sign-in-button" disabled={signIn.phase === 'starting'} onClick={signIn.begin}>
              {t(signIn.phase === 'starting' ? 'signIn.starting' : 'signIn.button')}
            </Button>
          </ActionRow>
        </>
      );
  }
}

function alertType(phase: SignInModel['phase']): 'info' | 'warning' | 'error' {
  if (phase === 'failed' || phase === 'refused') return 'error';
  return phase === 'not_configured' ? 'warning' : 'info';
}
