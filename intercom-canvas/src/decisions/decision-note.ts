// The optional note a teammate writes when rejecting or approving with changes.
import { NOTE_INPUT_ID } from '../canvases/component-ids';

/** Countersign's limit for a decision note (DecisionBody). */
export const NOTE_MAX_CHARS = 5000;

export type NoteReading = { ok: true; note: string | undefined } | { ok: false; note: string; problem: string };

/** The note from a submit's input_values: trimmed, absent when empty, refused when too long. */
export function readNote(inputValues: Readonly<Record<string, unknown>>): NoteReading {
  const raw = inputValues[NOTE_INPUT_ID];
  const note = typeof raw === 'string' ? raw.trim() : '';
  if (note.length > NOTE_MAX_CHARS) {
    return { ok: false, note, problem: `The note is ${note.length} characters long; keep it to ${NOTE_MAX_CHARS}.` };
  }
  return { ok: true, note: note === '' ? undefined : note };
}
