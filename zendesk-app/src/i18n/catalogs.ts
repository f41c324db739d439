// The UI's message catalogs: the `ui` section of each translations/<locale>.json, the folder that also
// holds the package's texts for Zendesk (`app`, which the build writes into the package alone).
// English defines the keys; every other catalog must have all of them (the typed assignment below
// fails the typecheck when a German string is missing). Named imports let the bundler leave the
// `app` texts out of the sidebar's script.
import { ui as en } from '../../translations/en.json';
import { ui as de } from '../../translations/de.json';

export type MessageKey = keyof typeof en;
export type Messages = Readonly<Record<MessageKey, string>>;

const german: Messages = de;

export const DEFAULT_LANGUAGE = 'en';
export const CATALOGS: Readonly<Record<string, Messages>> = { en, de: german };
