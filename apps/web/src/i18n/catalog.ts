/** The shape of a message catalog, derived from the English source, and the parameters each message takes. */
import type { en } from './en.js';

/** Plural forms by Intl.PluralRules category; `other` is always required. */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

export type MessageKey = keyof typeof en;

/** What every language provides: every English key, a string or a plural-forms object where English has one. */
export type Catalog = { [K in MessageKey]: (typeof en)[K] extends string ? string : PluralForms };

/** The `{name}` placeholders of a message text. */
type Placeholders<S> = S extends `${string}{${infer P}}${infer Rest}` ? P | Placeholders<Rest> : never;

type SourceText<K extends MessageKey> = (typeof en)[K] extends string ? (typeof en)[K] : (typeof en)[K][keyof (typeof en)[K]];

export type ParamValue = string | number;

/** The parameter names message K needs (plural messages need `count`). */
export type ParamNames<K extends MessageKey> = (typeof en)[K] extends string
  ? Placeholders<SourceText<K>>
  : Placeholders<SourceText<K>> | 'count';

/** t()'s rest arguments for K: none when the message has no placeholders, else an object with each of them. */
export type ParamsArg<K extends MessageKey> = [ParamNames<K>] extends [never] ? [] : [params: Record<ParamNames<K>, ParamValue>];

/** The keys whose messages take no parameters (usable where the key itself is data). */
export type PlainKey = { [K in MessageKey]: ParamsArg<K> extends [] ? K : never }[MessageKey];
