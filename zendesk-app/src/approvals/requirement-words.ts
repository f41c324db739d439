// A request's rules in the agent's language: "2 approvals needed: Ana approved, 1 more from Finance",
// "Any reviewer can approve", who may decide (emails, named reviewers, Zendesk groups by name when
// Zendesk told us the name, roles, Intercom teams), and who decided when a policy rule did.
import { anyReviewerCanApprove, decidingRule, withoutBidiControls, type ApprovalNeeds, type ApprovalView, type EligibleReviewerPart } from '@countersign/shared';
import type { MessageKey } from '../i18n/catalogs';
import type { Translate } from '../i18n/translator';

/** A rule may name hundreds of reviewers; the sentence names this many, then "N others". */
const SHOWN_ENTRIES = 10;
const SHOWN_NAMES = 5;

const NAMED_REVIEWERS: Readonly<Record<string, MessageKey>> = { api: 'rules.who.api', zendesk: 'rules.who.zendesk', intercom: 'rules.who.intercom', slack: 'rules.who.slack' };

export interface RequirementWording {
  t: Translate;
  language: string;
  /** Zendesk group names by id, for the groups Zendesk has named so far. */
  groupNames: ReadonlyMap<string, string>;
}

export function requirementSentence(needs: ApprovalNeeds, words: RequirementWording): string {
  const { t } = words;
  if (anyReviewerCanApprove(needs)) return t('rules.anyReviewer');
  const needed = counted(t, 'rules.needed', needs.required);
  const who = needs.eligible.length > 0 ? whoMayDecide(needs.eligible, words) : null;
  if (needs.approvedBy.length === 0) return who ? t('rules.neededFrom', { needed, who }) : needed;
  const approved = counted(t, 'rules.approved', needs.approvedBy.length, { names: listOf(needs.approvedBy, words, 'conjunction') });
  const more = who ? t('rules.moreFrom', { count: needs.remaining, who }) : t('rules.more', { count: needs.remaining });
  return t('rules.progress', { needed, approved, more });
}

export function whoMayDecide(parts: readonly EligibleReviewerPart[], words: RequirementWording): string {
  return listOf(parts.map((part) => reviewerPart(part, words)), words, 'disjunction');
}

/** "Approved automatically by rule small-refunds" when a policy rule settled it, else null. */
export function policyDecisionLine(approval: ApprovalView, t: Translate): string | null {
  const rule = decidingRule(approval);
  if (rule === null || (approval.status !== 'approved' && approval.status !== 'rejected')) return null;
  return t(approval.status === 'approved' ? 'rules.auto.approved' : 'rules.auto.rejected', { rule: withoutBidiControls(rule) });
}

/** "Approved by Ana and Ben" when several approvals settled it, else null. */
export function approvalsLine(approval: ApprovalView, words: Pick<RequirementWording, 't' | 'language'>): string | null {
  if (approval.status !== 'approved' || approval.approvals.length < 2) return null;
  return words.t('rules.approvedBy', { names: listOf(approval.approvals.map((vote) => vote.reviewer.name), { ...words, groupNames: new Map() }, 'conjunction') });
}

function reviewerPart(part: EligibleReviewerPart, { t, groupNames }: RequirementWording): string {
  switch (part.kind) {
    case 'email':
      return part.email;
    case 'reviewer':
      return Object.hasOwn(NAMED_REVIEWERS, part.via) ? t(NAMED_REVIEWERS[part.via]!, { id: part.id }) : `${part.via}:${part.id}`;
    case 'zendeskGroup':
      return groupNames.get(part.id) ?? t('rules.who.zendeskGroup', { id: part.id });
    case 'zendeskRole':
      if (part.role === 'admin') return t('rules.who.zendeskAdmins');
      if (part.role === 'agent') return t('rules.who.zendeskAgents');
      return t('rules.who.zendeskCustomRole', { role: part.role });
    case 'intercomTeam':
      return t('rules.who.intercomTeam', { id: part.id });
  }
}

function listOf(items: readonly string[], words: RequirementWording, type: 'conjunction' | 'disjunction'): string {
  const limit = type === 'conjunction' ? SHOWN_NAMES : SHOWN_ENTRIES;
  const shown = items.slice(0, limit).map(withoutBidiControls);
  const hidden = items.length - shown.length;
  return new Intl.ListFormat(words.language, { type }).format(hidden > 0 ? [...shown, counted(words.t, 'rules.others', hidden)] : shown);
}

type CountedBase = 'rules.needed' | 'rules.approved' | 'rules.others' | 'rules.recorded';

/** The .one or .other form (English and German agree: one is 1, everything else is other). */
export function counted(t: Translate, base: CountedBase, count: number, values: Readonly<Record<string, string | number>> = {}): string {
  return t(`${base}.${count === 1 ? 'one' : 'other'}`, { count, ...values });
}
