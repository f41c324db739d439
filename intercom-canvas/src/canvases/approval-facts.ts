// The facts every approval canvas starts with (action, risk, summary, requester, expiry, the AI's
// justification), and the words used for risk levels, statuses and times.
import { APPROVAL_STATUSES, RISK_LEVELS, type ApprovalView } from '@countersign/shared';
import { ENGLISH_WORDS, type CanvasWords } from '../i18n/canvas-words';
import type { Component } from '../schema/components';
import { dataTable, header, text } from './components';
import { markdownText, plainText } from './untrusted-text';

export const ACTION_CHARS = 200;
export const SUMMARY_CHARS = 1000;
export const JUSTIFICATION_CHARS = 2000;
export const NAME_CHARS = 100;

export function riskWord(risk: ApprovalView['riskLevel'], words: CanvasWords = ENGLISH_WORDS): string {
  return RISK_LEVELS.includes(risk) ? words.t(`risk.${risk}`) : plainText(String(risk), 20);
}

export function statusWord(status: ApprovalView['status'], words: CanvasWords = ENGLISH_WORDS): string {
  return APPROVAL_STATUSES.includes(status) ? words.t(`status.${status}`) : plainText(String(status), 20);
}

/** "2026-11-23 18:52 UTC": the inbox is read across time zones, so one unambiguous form. */
export function formatTimestamp(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return plainText(iso, 40);
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Did approvalFacts or approvalHeading have to cut one of the approval's texts? */
export function factsShortened(approval: ApprovalView): boolean {
  return (
    approval.action.length > ACTION_CHARS ||
    approval.summary.length > SUMMARY_CHARS ||
    (approval.justification?.length ?? 0) > JUSTIFICATION_CHARS ||
    (approval.agentName?.length ?? 0) > NAME_CHARS
  );
}

/** Action as the header, then the summary. */
export function approvalHeading(approval: ApprovalView): Component[] {
  return [header(markdownText(approval.action, ACTION_CHARS)), text(markdownText(approval.summary, SUMMARY_CHARS))];
}

/** Heading, risk, requester, expiry and justification: what a teammate weighs before deciding. */
export function approvalFacts(approval: ApprovalView, words: CanvasWords = ENGLISH_WORDS): Component[] {
  const facts: Component[] = [
    header(markdownText(approval.action, ACTION_CHARS)),
    text(`**${words.t('facts.risk', { risk: riskWord(approval.riskLevel, words) })}**`),
    text(markdownText(approval.summary, SUMMARY_CHARS)),
    dataTable([
      [words.t('facts.requestedBy'), plainText(approval.agentName ?? words.t('facts.unnamedAutomation'), NAME_CHARS)],
      [words.t('facts.expires'), formatTimestamp(approval.expiresAt)],
    ]),
  ];
  if (approval.justification) facts.push(text(`**${words.t('facts.justification')}** ${markdownText(approval.justification, JUSTIFICATION_CHARS)}`));
  return facts;
}
