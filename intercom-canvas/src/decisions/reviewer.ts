// The reviewer recorded with an inbox decision: the teammate Intercom signed the request for.
import type { CanvasReviewer } from '../canvas-backend';
import { plainText } from '../canvases/untrusted-text';
import type { CanvasAdmin } from '../schema/requests';

export const UNNAMED_TEAMMATE = 'Intercom teammate';
// Countersign's reviewer limits (ReviewerSchema): name 1–200 characters, email name@domain up to 320.
const NAME_MAX_CHARS = 200;
const EMAIL_MAX_CHARS = 320;
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+$/;

export function reviewerFrom(admin: CanvasAdmin): CanvasReviewer {
  const name = plainText(admin.name?.trim() ?? '', NAME_MAX_CHARS).trim();
  const reviewer: CanvasReviewer = { id: admin.id, name: name || UNNAMED_TEAMMATE, via: 'intercom' };
  const email = admin.email?.trim();
  if (email && email.length <= EMAIL_MAX_CHARS && EMAIL_SHAPE.test(email)) reviewer.email = email;
  if (admin.team_ids) reviewer.teams = admin.team_ids;
  return reviewer;
}
