import { describe, expect, it } from 'vitest';
import { APPROVAL_STATUSES, callbackStatus, canTransition, isTerminal, TERMINAL_STATUSES } from '@countersign/shared';

describe('approval state machine', () => {
  it('lets pending become any terminal status', () => {
    for (const to of TERMINAL_STATUSES) expect(canTransition('pending', to)).toBe(true);
  });

  it('never changes a terminal status', () => {
    for (const from of TERMINAL_STATUSES) for (const to of APPROVAL_STATUSES) expect(canTransition(from, to)).toBe(false);
  });

  it('does not transition pending to pending', () => {
    expect(canTransition('pending', 'pending')).toBe(false);
  });

  it('knows which statuses are terminal', () => {
    expect(APPROVAL_STATUSES.filter(isTerminal)).toEqual(['approved', 'rejected', 'expired', 'cancelled']);
  });

  it('upper-cases statuses for callbacks, as seed 000’s handler compares them', () => {
    expect(TERMINAL_STATUSES.map(callbackStatus)).toEqual(['APPROVED', 'REJECTED', 'EXPIRED', 'CANCELLED']);
  });
});
