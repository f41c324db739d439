// What the playground's Slack tab is shown: the fake Slack channel's messages (Countersign's real
// Block Kit, as the outbox posted and updated them, with their thread replies), the ephemeral messages
// it sent, and the modal it opened last, if still open. The page imports these types only.

export interface SlackTabUser {
  id: string;
  name: string;
  guest: boolean;
}

export interface SlackTabMessage {
  ts: string;
  text: string;
  blocks: unknown[];
  updates: number;
  postedAt: number;
  replies: Array<{ ts: string; text: string; blocks: unknown[]; postedAt: number }>;
}

export interface SlackTabView {
  id: string;
  /** The modal as Countersign sent it to views.open. */
  view: Record<string, unknown>;
  /** Who clicked the button that opened it. */
  userId: string | null;
}

export interface SlackTabState {
  channel: { id: string; name: string };
  users: SlackTabUser[];
  messages: SlackTabMessage[];
  ephemerals: Array<{ user: string; text: string; at: number }>;
  view: SlackTabView | null;
}

/** What a click or a submission came to, as the tab shows it. */
export interface SlackTabAnswer {
  status: number;
  /** A submission refused on the form: block id → the problem. */
  errors?: Record<string, string>;
}
