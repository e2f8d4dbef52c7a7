import { Ajv, type Options, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchema, FastifySchemaCompiler } from 'fastify';
import fastJsonStringify from 'fast-json-stringify';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv;

const common: Options = {
  removeAdditional: false, // unknown fields are a 400, not silently dropped
  useDefaults: true,
  allErrors: false,
  strict: false, // TypeBox adds its own keywords
  // Checking each schema against the JSON Schema meta-schema first means compiling the
  // meta-schema itself, about 230 ms of CPU in every process, on the first request it serves.
  // Our schemas are TypeBox's; validators.test.ts checks them all against the meta-schema once.
  validateSchema: false,
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

function validatorFor(part: Part, schema: object): ValidateFunction {
  let fn = part.compiled.get(schema);
  if (!fn) {
    fn = part.ajv.compile(schema);
    part.compiled.set(schema, fn);
  }
  return fn;
}

/** What Fastify calls: returns false and leaves the reasons on `.errors`, like an Ajv function. */
type LazyValidator = ((data: unknown) => boolean) & { errors?: ValidateFunction['errors'] };

/**
 * Compiles a route's validator on its first request, not when the route is registered: a service
 * has dozens of routes and compiling them all up front was most of its start-up time. The first
 * call pays about a millisecond; every later call goes straight to the compiled function.
 */
export const compileValidator: FastifySchemaCompiler<FastifySchema> = ({ schema, httpPart }) => {
  const part = httpPart === 'body' ? body : text;
  let fn: ValidateFunction | undefined;
  const lazy: LazyValidator = (data) => {
    fn ??= validatorFor(part, schema as object);
    const ok = fn(data) as boolean;
    lazy.errors = fn.errors;
    return ok;
  };
  return lazy;
};

const serializers = new WeakMap<object, (data: unknown) => string>();

/** Exported so a test can compile every contract schema up front. */
export function serializerFor(schema: object): (data: unknown) => string {
  let fn = serializers.get(schema);
  if (!fn) {
    const simple = forSerializer(schema) as Parameters<typeof fastJsonStringify>[0];
    fn = fastJsonStringify(simple) as (data: unknown) => string;
    serializers.set(schema, fn);
  }
  return fn;
}

/**
 * Response serializers: one per schema object (every route shares the error-body schema for ten
 * statuses), compiled on first use for the same start-up reason as the validators.
 */
export const compileSerializer = ({ schema }: { schema: unknown }): ((data: unknown) => string) => {
  let fn: ((data: unknown) => string) | undefined;
  return (data) => (fn ??= serializerFor(schema as object))(data);
};

const PRIMITIVES = new Set(['string', 'number', 'integer', 'boolean', 'null']);
/** What a branch of a primitive union may carry and still be written as a plain value. */
const VALUE_ONLY = new Set([
  'type',
  'const',
  'enum',
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'description',
  'title',
  'default',
  'examples',
]);

/**
 * The schema as the serializer needs it. fast-json-stringify picks an `anyOf` branch per value by
 * running Ajv on it, so each such schema costs an Ajv set-up on first use (about 40 ms; every
 * /health answer met one) and a validation per value after. Where every branch is a plain
 * primitive (TypeBox's literal unions and `X | null`), the branch does not change how the value
 * is written, so `anyOf` becomes `type: [...]`. A copy: the validators keep the real schema.
 */
export function forSerializer(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(forSerializer);
  if (!schema || typeof schema !== 'object') return schema;
  const s = schema as Record<string, unknown>;
  const branches = s.anyOf ?? s.oneOf;
  if (Array.isArray(branches) && branches.length > 0 && branches.every(isPlainPrimitive)) {
    const types = [...new Set(branches.map((b) => (b as { type: string }).type))];
    const rest = Object.fromEntries(
      Object.entries(s).filter(([k]) => k !== 'anyOf' && k !== 'oneOf' && (k === 'description' || k === 'title')),
    );
    return { ...rest, type: types.length === 1 ? types[0] : types };
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s))
    out[k] = k === 'const' || k === 'enum' || k === 'default' ? v : forSerializer(v);
  return out;
}

function isPlainPrimitive(b: unknown): boolean {
  if (!b || typeof b !== 'object') return false;
  const { type } = b as { type?: unknown };
  return typeof type === 'string' && PRIMITIVES.has(type) && Object.keys(b).every((k) => VALUE_ONLY.has(k));
}
