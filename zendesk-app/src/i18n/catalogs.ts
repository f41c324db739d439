// The UI's message catalogs. English defines the keys; every other catalog must have all of them
// (the typed assignment below fails the typecheck when a German string is missing).
import en from './en.json';
import de from './de.json';

export type MessageKey = keyof typeof en;
export type Messages = Readonly<Record<MessageKey, string>>;

const german: Messages = de;

export const DEFAULT_LANGUAGE = 'en';
export const CATALOGS: Readonly<Record<string, Messages>> = { en, de: german };
