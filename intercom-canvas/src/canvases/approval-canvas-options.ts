// What every approval canvas needs besides the approval.
import type { CanvasWords } from '../i18n/canvas-words';

export interface ApprovalCanvasOptions {
  /** Where the whole request can be read when the canvas had to shorten it (backend.approvalLink). */
  link: string | null;
  /** Carried in stored_data so a later request still knows the conversation. */
  conversationId: string | null;
  /** The canvas's language; English when absent. */
  words?: CanvasWords;
}
