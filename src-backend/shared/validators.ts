import { Ajv, type Options, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchema, FastifySchemaCompiler } from 'fastify';
import fastJsonStringify from 'fast-json-stringify';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

const common: Options = {
  removeAdditional: false, // unknown fields are a 400, not silently dropped
  useDefaults: true,
  allErrors: false,
  strict: false, // TypeBox adds its own keywords
};

interface Part {
  readonly ajv: Ajv;
  /** one compile per schema object, however many apps a test process builds */
  readonly compiled: WeakMap<object, ValidateFunction>;
}

/** JSON bodies arrive typed: a number where a string belongs is a wrong type, not something to fix up. */
const body: Part = { ajv: addFormats(new Ajv({ ...common, coerceTypes: false })), compiled: new WeakMap() };
/** Querystrings, params and headers are always text, so they are coerced to the schema's types. */
const text: Part = { ajv: addFormats(new Ajv({ ...common, coerceTypes: 'array' })), compiled: new WeakMap() };

export const compileValidator: FastifySchemaCompiler<FastifySchema> = ({ schema, httpPart }) => {
  const part = httpPart === 'body' ? body : text;
  const key = schema as object;
  let fn = part.compiled.get(key);
  if (!fn) {
    fn = part.ajv.compile(key);
    part.compiled.set(key, fn);
  }
  return fn;
};

const serializers = new WeakMap<object, (data: unknown) => string>();

/**
 * Response serializers, one per schema object. Every route shares the same error-body schema
 * for ten statuses; compiling it once per route and status made each service take half a
 * second to start.
 */
export const compileSerializer = ({ schema }: { schema: unknown }): ((data: unknown) => string) => {
  const key = schema as object;
  let fn = serializers.get(key);
  if (!fn) {
    fn = fastJsonStringify(key as Parameters<typeof fastJsonStringify>[0]) as (data: unknown) => string;
    serializers.set(key, fn);
  }
  return fn;
};
