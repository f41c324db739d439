// The words a request's risk and priority are given in.
export const RISK_LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
