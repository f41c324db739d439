// The top-bar app: waits for Zendesk, learns the agent and the colour scheme, then shows the agent's
// queue in their language and Zendesk's theme. The ZAF client is a prop so tests can hand in a fake.
import { useCallback, useEffect, useMemo, useState } from 'react';
import styled from 'styled-components';
import { getColor } from '@zendeskgarden/react-theming';
import { CountersignClient } from '@countersign/shared';
import { useColorScheme } from '../theme/use-color-scheme';
import { NoticeBanner } from '../components/NoticeBanner';
import { I18nProvider, useI18n } from '../i18n/i18n-context';
import { NO_REVIEWER_SESSION, type ReviewerSessionSource } from '../live/reviewer-session';
import { withReviewerSession } from '../live/session-header-transport';
import { AppTheme } from '../theme/app-theme';
import { readAgentContext, type AgentContext } from '../zaf/agent-context';
import { whenRegistered, type ZafClient } from '../zaf/zaf-client';
import { zafTransport } from '../zaf/zaf-transport';
import { Queue, QueueLoading } from './Queue';

export interface QueueAppProps {
  client: ZafClient;
  publicUrl: string;
  reviewerSessions?: ReviewerSessionSource;
}

type Startup = { state: 'starting' } | { state: 'ready'; context: AgentContext } | { state: 'failed' };

const Root = styled.div`
  display: flow-root;
  min-height: 100vh;
  box-sizing: border-box;
  padding: ${({ theme }) => theme.space.sm};
  background-color: ${({ theme }) => getColor({ theme, variable: 'background.default' })};
  color: ${({ theme }) => getColor({ theme, variable: 'foreground.default' })};
`;

export function QueueApp({ client, publicUrl, reviewerSessions = NO_REVIEWER_SESSION }: QueueAppProps) {
  const scheme = useColorScheme(client);
  const { startup, retry } = useAgentStartup(client);
  const api = useMemo(() => new CountersignClient(withReviewerSession(zafTransport(client, publicUrl), reviewerSessions)), [client, publicUrl, reviewerSessions]);
  const context = startup.state === 'ready' ? startup.context : null;
  const activeScheme = scheme.live ?? context?.colorScheme ?? scheme.initial;
  return (
    <AppTheme scheme={activeScheme}>
      <I18nProvider locale={context?.user.locale ?? null}>
        <Root data-testid="queue-root" data-color-scheme={activeScheme}>
          {context ? <Queue client={client} api={api} publicUrl={publicUrl} sessions={reviewerSessions} /> : <StartupState startup={startup} retry={retry} />}
        </Root>
      </I18nProvider>
    </AppTheme>
  );
}

function StartupState({ startup, retry }: { startup: Startup; retry: () => void }) {
  const { t } = useI18n();
  if (startup.state !== 'failed') return <QueueLoading />;
  return <NoticeBanner notice={{ kind: 'error', message: t('queue.startupFailed'), retry, id: 0, origin: 'list' }} />;
}

function useAgentStartup(client: ZafClient): { startup: Startup; retry: () => void } {
  const [startup, setStartup] = useState<Startup>({ state: 'starting' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let current = true;
    whenRegistered(client)
      .then(() => readAgentContext(client))
      .then(
        (context) => current && setStartup({ state: 'ready', context }),
        (error: unknown) => {
          console.warn('Countersign: reading the agent from Zendesk failed', error);
          if (current) setStartup({ state: 'failed' });
        },
      );
    return () => {
      current = false;
    };
  }, [client, attempt]);
  const retry = useCallback(() => {
    setStartup({ state: 'starting' });
    setAttempt((n) => n + 1);
  }, []);
  return { startup, retry };
}
