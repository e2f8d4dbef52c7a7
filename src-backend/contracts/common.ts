import { Type, type TSchemaOptions, type TLiteral, type TSchema, type TUnion } from 'typebox';
import { ErrorBody } from './errors.js';

/**
 * Schema helpers every contract file shares, so each is written once.
 *
 * Times (README "API"): the JSON API always shows a time as an ISO-8601 UTC string with
 * milliseconds and a `Z` (e.g. "2026-12-03T08:15:00.000Z"). New tables store a time
 * as INTEGER milliseconds since the Unix epoch in a `*_at` column (cheap to compare for expiry,
 * sorts as it should); the repository turns it into the string. The identity tables already do
 * this; the older course and messaging tables keep their ISO TEXT columns.
 */

/** Objects in requests reject properties they do not know. */
export const strict = { additionalProperties: false } as const;

/** A row id as SQLite hands it out. */
export const Id = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });
/** `/…/:id` */
export const IdParams = Type.Object({ id: Id }, strict);

/**
 * `string | null` / `integer | null` in REQUEST schemas as a JSON-schema type list: our ajv runs
 * with coerceTypes, and inside an anyOf it would turn a null into "" or 0 before trying the
 * null branch.
 */
export function NullableString(
  opts: { maxLength?: number; minLength?: number; pattern?: string; format?: string } = {},
) {
  return Type.Unsafe<string | null>({ type: ['string', 'null'], ...opts });
}
export function NullableInteger(opts: { minimum?: number; maximum?: number } = {}) {
  return Type.Unsafe<number | null>({ type: ['integer', 'null'], ...opts });
}

/** Response schemas for the error statuses a route may answer with: `{error: {code, message}}`. */
export const errorResponses = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  413: ErrorBody,
  415: ErrorBody,
  429: ErrorBody,
  500: ErrorBody,
  503: ErrorBody,
} as const;

/** `{200: schema}` plus the error answers. */
export const ok = <T extends TSchema>(schema: T) => ({ 200: schema, ...errorResponses });
/** `{201: schema}` plus the error answers. */
export const created = <T extends TSchema>(schema: T) => ({ 201: schema, ...errorResponses });
/** `{202: schema}` plus the error answers. */
export const accepted = <T extends TSchema>(schema: T) => ({ 202: schema, ...errorResponses });

/** A union of string literals from one `as const` array: the array stays the one list of the values. */
export function literals<const T extends readonly [string, ...string[]]>(values: T, options: TSchemaOptions = {}) {
  return Type.Union(
    values.map((v) => Type.Literal(v)),
    options,
  ) as unknown as TUnion<{ -readonly [K in keyof T]: TLiteral<T[K]> }>;
}
