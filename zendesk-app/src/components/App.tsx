// The sidebar app: waits for Zendesk, learns the ticket, the agent and the colour scheme, then shows
// the ticket's approvals in the agent's language and Zendesk's theme. Decisions need the agent's
// reviewer session (Zendesk sign-in), which every request then carries. The ZAF client is a prop so
// tests can hand in a fake.
import { useMemo, useRef } from 'react';
import styled from 'styled-components';
import { getColor } from '@zendeskgarden/react-theming';
import { CountersignClient } from '@countersign/shared';
import { I18nProvider } from '../i18n/i18n-context';
import { browserStorage, SessionKeeper } from '../sign-in/session-keeper';
import { useSignIn } from '../sign-in/use-sign-in';
import { useAutoResize } from '../layout/use-auto-resize';
import { AppTheme } from '../theme/app-theme';
import { useColorScheme } from '../theme/use-color-scheme';
import { readTicketContext } from '../zaf/ticket-context';
import type { ZafClient } from '../zaf/zaf-client';
import { useStartup } from '../zaf/use-startup';
import { zafTransport } from '../zaf/zaf-transport';
import { Loading, Sidebar } from './Sidebar';
import { StartupState } from './StartupState';

export interface AppProps {
  client: ZafClient;
  publicUrl: string;
}

const Root = styled.div`
  display: flow-root; /* keeps children's margins inside the measured height */
  padding: ${({ theme }) => theme.space.sm};
  background-color: ${({ theme }) => getColor({ theme, variable: 'background.default' })};
  color: ${({ theme }) => getColor({ theme, variable: 'foreground.default' })};
`;

export function App({ client, publicUrl }: AppProps) {
  const scheme = useColorScheme(client);
  const { startup, retry } = useStartup(client, readTicketContext, 'the ticket');
  const keeper = useMemo(() => new SessionKeeper(browserStorage()), []);
  const api = useMemo(() => new CountersignClient(zafTransport(client, publicUrl, () => keeper.sessionValue())), [client, publicUrl, keeper]);
  const signIn = useSignIn(api, keeper, publicUrl);
  const context = startup.state === 'ready' ? startup.context : null;
  const activeScheme = scheme.live ?? context?.colorScheme ?? scheme.initial;
  const rootRef = useRef<HTMLDivElement>(null);
  useAutoResize(client, rootRef);

  return (
    <AppTheme scheme={activeScheme}>
      <I18nProvider locale={context?.user.locale ?? null}>
        <Root ref={rootRef} data-testid="sidebar-root" data-color-scheme={activeScheme}>
          {context ? (
            <Sidebar client={client} api={api} ticketId={context.ticketId} signIn={signIn} publicUrl={publicUrl} reviewerSessions={keeper} />
          ) : (
            <StartupState startup={startup} retry={retry} loading={(t) => <Loading label={t('sidebar.loading')} />} failedMessage="notice.startup.body" />
          )}
        </Root>
      </I18nProvider>
    </AppTheme>
  );
}
