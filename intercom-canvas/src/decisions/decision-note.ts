// The optional note a teammate writes when rejecting or approving with changes.
import { NOTE_INPUT_ID } from '../canvases/component-ids';
import { ENGLISH_WORDS, type CanvasWords } from '../i18n/canvas-words';

/** Countersign's limit for a decision note (DecisionBody). */
export const NOTE_MAX_CHARS = 5000;

export type NoteReading = { ok: true; note: string | undefined } | { ok: false; note: string; problem: string };

/** The note from a submit's input_values: trimmed, absent when empty, refused when too long. */
export function readNote(inputValues: Readonly<Record<string, unknown>>, words: CanvasWords = ENGLISH_WORDS): NoteReading {
  const raw = inputValues[NOTE_INPUT_ID];
  const note = typeof raw === 'string' ? raw.trim() : '';
  if (note.length > NOTE_MAX_CHARS) {
    return { ok: false, note, problem: words.t('note.tooLong', { length: note.length, max: NOTE_MAX_CHARS }) };
  }
  return { ok: true, note: note === '' ? undefined : note };
}
