// The agent as Countersign records who decided.
import type { Reviewer } from '@countersign/shared';
import type { CurrentUser } from '../zaf/ticket-context';

export function reviewerFrom(user: CurrentUser): Reviewer {
  return { id: user.id, name: user.name, ...(user.email ? { email: user.email } : {}), via: 'zendesk' };
}
