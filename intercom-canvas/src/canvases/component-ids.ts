// Component ids are the app's commands: a submit request names the clicked component, and its id says
// what to do next. Ids carrying an approval id are `<verb>:<approvalId>`.

export const REFRESH_ID = 'refresh';
export const BACK_ID = 'back';
/** The reject and edit forms' optional note. */
export const NOTE_INPUT_ID = 'note';

const DETAIL_INPUT_PREFIX = 'detail:';

export const APPROVAL_VERBS = ['open', 'approve', 'reject', 'reject-confirm', 'edit', 'edit-approve'] as const;
export type ApprovalVerb = (typeof APPROVAL_VERBS)[number];

export type CanvasCommand = { verb: 'refresh' } | { verb: 'back' } | { verb: ApprovalVerb; approvalId: string };

/** Longer than any Countersign approval id; anything longer is not one of ours. */
const MAX_APPROVAL_ID_LENGTH = 128;

export function approvalComponentId(verb: ApprovalVerb, approvalId: string): string {
  return `${verb}:${approvalId}`;
}

/** The url button that opens the whole request; url actions send no submit request, so it is never parsed. */
export function fullRequestComponentId(approvalId: string): string {
  return `full-request:${approvalId}`;
}

/** The command a clicked component stands for, or null for an id this app never sent. */
export function parseComponentId(componentId: string): CanvasCommand | null {
  if (componentId === REFRESH_ID) return { verb: 'refresh' };
  if (componentId === BACK_ID) return { verb: 'back' };
  const colon = componentId.indexOf(':');
  if (colon < 0) return null;
  const verb = componentId.slice(0, colon);
  const approvalId = componentId.slice(colon + 1);
  if (!isApprovalVerb(verb) || approvalId.length === 0 || approvalId.length > MAX_APPROVAL_ID_LENGTH) return null;
  return { verb, approvalId };
}

function isApprovalVerb(verb: string): verb is ApprovalVerb {
  return (APPROVAL_VERBS as readonly string[]).includes(verb);
}

/** The edit form's input for one top-level detail key. */
export function detailInputId(key: string): string {
  return DETAIL_INPUT_PREFIX + key;
}
