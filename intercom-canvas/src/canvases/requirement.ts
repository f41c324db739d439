// The rules of one request as canvas text: what it needs before it settles ("2 approvals needed: Ana
// approved, 1 more from Intercom team 55."), the rule that set that, why this teammate may not decide
// it, and who decided when a policy rule did. Names and ids come from policies and platforms: capped
// and escaped like any other untrusted text.
import { anyReviewerCanApprove, approvalNeeds, decidingRule, type ApprovalNeeds, type ApprovalView, type EligibleReviewerPart } from '@countersign/shared';
import type { MessageKey } from '../i18n/canvas-messages';
import type { CanvasWords } from '../i18n/canvas-words';
import type { Component } from '../schema/components';
import { text } from './components';
import { escapeMarkdown, markdownText, plainText } from './untrusted-text';

const ENTRY_CHARS = 100;
/** Who may decide lists at most this many entries, then "N others": a rule may name hundreds. */
const SHOWN_ENTRIES = 10;
const SHOWN_NAMES = 5;
const RULE_CHARS = 64;
const REASON_CHARS = 600;
/** Codes with a headline of their own; any other refusal gets the general one. */
const HEADLINES: Readonly<Record<string, MessageKey>> = { self_approval: 'rules.cannotDecide.self_approval', reviewer_not_eligible: 'rules.cannotDecide.reviewer_not_eligible' };
/** How rules' `via:id` entries read, by channel. */
const NAMED_REVIEWERS: Readonly<Record<string, MessageKey>> = { api: 'rules.who.api', zendesk: 'rules.who.zendesk', intercom: 'rules.who.intercom', slack: 'rules.who.slack' };

/** The requirement line and, when a rule set it, the rule (muted). */
export function requirementComponents(approval: ApprovalView, words: CanvasWords): Component[] {
  const needs = approvalNeeds(approval);
  const components = [text(escapeMarkdown(requirementSentence(needs, words)))];
  if (needs.ruleId) components.push(text(escapeMarkdown(words.t('rules.rule', { rule: plainText(needs.ruleId, RULE_CHARS) })), 'muted'));
  return components;
}

export function requirementSentence(needs: ApprovalNeeds, words: CanvasWords): string {
  if (anyReviewerCanApprove(needs)) return words.t('rules.anyReviewer');
  const needed = words.counted('rules.needed', needs.required);
  const who = needs.eligible.length > 0 ? whoMayDecide(needs.eligible, words) : null;
  if (needs.approvedBy.length === 0) return who ? words.t('rules.neededFrom', { needed, who }) : words.t('rules.neededOnly', { needed });
  const approved = words.counted('rules.approved', needs.approvedBy.length, { names: names(needs.approvedBy, words) });
  const more = who ? words.t('rules.moreFrom', { count: needs.remaining, who }) : words.t('rules.more', { count: needs.remaining });
  return words.t('rules.progress', { needed, approved, more });
}

/** "cfo@example.com, Zendesk admins or Intercom team 55". */
export function whoMayDecide(parts: readonly EligibleReviewerPart[], words: CanvasWords): string {
  const shown = parts.slice(0, SHOWN_ENTRIES).map((part) => plainText(reviewerPart(part, words), ENTRY_CHARS));
  const hidden = parts.length - shown.length;
  return words.anyOf(hidden > 0 ? [...shown, words.counted('rules.others', hidden)] : shown);
}

function reviewerPart(part: EligibleReviewerPart, words: CanvasWords): string {
  switch (part.kind) {
    case 'email':
      return part.email;
    case 'reviewer':
      return Object.hasOwn(NAMED_REVIEWERS, part.via) ? words.t(NAMED_REVIEWERS[part.via]!, { id: part.id }) : `${part.via}:${part.id}`;
    case 'zendeskGroup':
      return words.t('rules.who.zendeskGroup', { id: part.id });
    case 'zendeskRole':
      if (part.role === 'admin') return words.t('rules.who.zendeskAdmins');
      if (part.role === 'agent') return words.t('rules.who.zendeskAgents');
      return words.t('rules.who.zendeskCustomRole', { role: part.role });
    case 'intercomTeam':
      return words.t('rules.who.intercomTeam', { id: part.id });
  }
}

function names(list: readonly string[], words: CanvasWords): string {
  const shown = list.slice(0, SHOWN_NAMES).map((name) => plainText(name, ENTRY_CHARS));
  return words.allOf(list.length > shown.length ? [...shown, words.counted('rules.others', list.length - shown.length)] : shown);
}

/** Whether the buttons that decide (Approve, Edit, Reject) are offered enabled. */
export function mayDecide(approval: ApprovalView): boolean {
  return approval.canDecide !== false;
}

/**
 * Why this teammate may not decide it, in bold, with Countersign's reason (in English) below. An
 * approval already counted says so with what is still missing: "Your approval is recorded; 1 more
 * approval is needed."
 */
export function cannotDecideComponents(approval: ApprovalView, words: CanvasWords): Component[] {
  if (mayDecide(approval)) return [];
  const code = approval.cannotDecideCode ?? '';
  if (code === 'already_approved') return [text(`**${escapeMarkdown(recordedMessage(approval, words))}**`)];
  const headline = words.t(Object.hasOwn(HEADLINES, code) ? HEADLINES[code]! : 'rules.cannotDecide');
  const reason = approval.cannotDecideReason ? [text(markdownText(approval.cannotDecideReason, REASON_CHARS), 'muted')] : [];
  return [text(`**${escapeMarkdown(headline)}**`), ...reason];
}

/** "Your approval is recorded; 1 more approval is needed." */
export function recordedMessage(approval: ApprovalView, words: CanvasWords): string {
  return words.counted('rules.recorded', Math.max(1, approvalNeeds(approval).remaining));
}

/** "Approved automatically by rule small-refunds" when a policy rule settled it, else null. */
export function policyDecisionLine(approval: ApprovalView, words: CanvasWords): string | null {
  const rule = decidingRule(approval);
  if (rule === null || (approval.status !== 'approved' && approval.status !== 'rejected')) return null;
  return words.t(approval.status === 'approved' ? 'rules.auto.approved' : 'rules.auto.rejected', { rule: plainText(rule, RULE_CHARS) });
}

/** "Approved by Ana and Ben" for a request that needed several approvals, else null. */
export function approvalsLine(approval: ApprovalView, words: CanvasWords): string | null {
  if (approval.status !== 'approved' || approval.approvals.length < 2) return null;
  return words.t('rules.approvedBy', { names: names(approval.approvals.map((vote) => vote.reviewer.name), words) });
}
