// The approval state machine: one way out of `pending`, and terminal states never change.

export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected', 'expired', 'cancelled'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

export type TerminalStatus = Exclude<ApprovalStatus, 'pending'>;
export const TERMINAL_STATUSES: readonly TerminalStatus[] = ['approved', 'rejected', 'expired', 'cancelled'];

const TRANSITIONS: Readonly<Record<ApprovalStatus, readonly ApprovalStatus[]>> = {
  pending: TERMINAL_STATUSES,
  approved: [],
  rejected: [],
  expired: [],
  cancelled: [],
};

export function isTerminal(status: ApprovalStatus): status is TerminalStatus {
  return status !== 'pending';
}

export function canTransition(from: ApprovalStatus, to: ApprovalStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** The status word a decision callback carries: upper case, as seed 000's handler compares it. */
export type CallbackStatus = Uppercase<TerminalStatus>;
export function callbackStatus(status: TerminalStatus): CallbackStatus {
  return status.toUpperCase() as CallbackStatus;
}
