// The top-bar app: waits for Zendesk, learns the agent and the colour scheme, then shows the agent's
// queue in their language and Zendesk's theme. The ZAF client is a prop so tests can hand in a fake.
import { useMemo } from 'react';
import styled from 'styled-components';
import { getColor } from '@zendeskgarden/react-theming';
import { CountersignClient } from '@countersign/shared';
import { useColorScheme } from '../theme/use-color-scheme';
import { StartupState } from '../components/StartupState';
import { I18nProvider } from '../i18n/i18n-context';
import { NO_REVIEWER_SESSION, type ReviewerSessionSource } from '../live/reviewer-session';
import { withReviewerSession } from '../live/session-header-transport';
import { AppTheme } from '../theme/app-theme';
import { readAgentContext } from '../zaf/agent-context';
import type { ZafClient } from '../zaf/zaf-client';
import { useStartup } from '../zaf/use-startup';
import { zafTransport } from '../zaf/zaf-transport';
import { Queue, QueueLoading } from './Queue';

export interface QueueAppProps {
  client: ZafClient;
  publicUrl: string;
  reviewerSessions?: ReviewerSessionSource;
}

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
  const { startup, retry } = useStartup(client, readAgentContext, 'the agent');
  const api = useMemo(() => new CountersignClient(withReviewerSession(zafTransport(client, publicUrl), reviewerSessions)), [client, publicUrl, reviewerSessions]);
  const context = startup.state === 'ready' ? startup.context : null;
  const activeScheme = scheme.live ?? context?.colorScheme ?? scheme.initial;
  return (
    <AppTheme scheme={activeScheme}>
      <I18nProvider locale={context?.user.locale ?? null}>
        <Root data-testid="queue-root" data-color-scheme={activeScheme}>
          {context ? (
            <Queue client={client} api={api} publicUrl={publicUrl} sessions={reviewerSessions} />
          ) : (
            <StartupState startup={startup} retry={retry} loading={() => <QueueLoading />} failedMessage="queue.startupFailed" />
          )}
        </Root>
      </I18nProvider>
    </AppTheme>
  );
}
