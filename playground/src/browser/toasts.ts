// Zendesk's notification toasts, for the app's `invoke('notify', message, kind, options)`.
import { byTestId, h } from './dom';

const KINDS = new Set(['notice', 'alert', 'error']);

/** durationMs null keeps the toast until it is clicked (notify's `{sticky: true}`). */
export function showToast(message: string, kind = 'notice', durationMs: number | null = 5000): void {
  const safeKind = KINDS.has(kind) ? kind : 'notice';
  const toast = h('div', { className: `toast toast-${safeKind}`, testId: 'toast', data: { kind: safeKind }, attrs: { role: safeKind === 'error' ? 'alert' : 'status' } }, [
    h('span', { text: message }),
  ]);
  const dismiss = () => toast.remove();
  toast.addEventListener('click', dismiss);
  byTestId('toasts').append(toast);
  if (durationMs !== null) setTimeout(dismiss, Math.max(1000, durationMs));
}
