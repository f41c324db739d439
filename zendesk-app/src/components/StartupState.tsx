// What an app shows before it has started: its loading line, or the startup failure with a retry.
import type { ReactNode } from 'react';
import type { MessageKey } from '../i18n/catalogs';
import { useI18n } from '../i18n/i18n-context';
import type { Translate } from '../i18n/translator';
import type { Startup } from '../zaf/use-startup';
import { NoticeBanner } from './NoticeBanner';

export interface StartupStateProps {
  startup: Startup<unknown>;
  retry: () => void;
  loading: (t: Translate) => ReactNode;
  failedMessage: MessageKey;
}

export function StartupState({ startup, retry, loading, failedMessage }: StartupStateProps) {
  const { t } = useI18n();
  if (startup.state !== 'failed') return loading(t);
  return <NoticeBanner notice={{ kind: 'error', message: t(failedMessage), retry, id: 0, origin: 'list' }} />;
}
