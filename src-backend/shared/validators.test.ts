import { Ajv } from 'ajv';
import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import * as auth from '../contracts/auth.js';
import * as consoleApi from '../contracts/console-api.js';
import * as courses from '../contracts/courses.js';
import * as health from '../contracts/health.js';
import * as messaging from '../contracts/messaging.js';
import * as realtimeInternal from '../contracts/realtime-internal.js';
import * as realtime from '../contracts/realtime.js';
import * as session from '../contracts/session.js';
import * as supervisor from '../contracts/supervisor.js';
import { compileSerializer, compileValidator, forSerializer, serializerFor } from './validators.js';

type Validate = ((data: unknown) => boolean) & { errors?: unknown[] | null };
const validator = (schema: object, httpPart = 'body') =>
  (compileValidator as unknown as (o: { schema: object; httpPart: string }) => Validate)({ schema, httpPart });

/** Every exported schema of the contracts, since routes now compile theirs on first use. */
function contractSchemas(): [string, object][] {
  const modules = { auth, consoleApi, courses, health, messaging, realtimeInternal, realtime, session, supervisor };
  const out: [string, object][] = [];
  for (const [mod, exports] of Object.entries(modules)) {
    for (const [name, value] of Object.entries(exports)) {
      if (value && typeof value === 'object' && '~kind' in value) out.push([`${mod}.${name}`, value]);
    }
  }
  return out;
}

describe('lazy schema compilers', () => {
  const schemas = contractSchemas();

  it('finds the contract schemas', () => {
    expect(schemas.length).toBeGreaterThan(50);
  });

  it('compiles every one as a validator and a serializer', () => {
    // A compile error would otherwise surface only on the route's first request.
    const broken: string[] = [];
    for (const [name, schema] of schemas) {
      try {
        validator(schema)(undefined);
        validator(schema, 'querystring')(undefined);
        serializerFor(schema);
      } catch (err) {
        broken.push(`${name}: ${(err as Error).message}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('every one is a valid JSON Schema (the services skip this check at run time)', () => {
    const meta = new Ajv({ strict: false, validateSchema: true });
    const invalid = schemas
      .filter(([, schema]) => !meta.validateSchema(schema))
      .map(([name]) => `${name}: ${meta.errorsText()}`);
    expect(invalid).toEqual([]);
    // and the check can fail: a schema the meta-schema rejects
    expect(meta.validateSchema({ type: 'object', required: 'not-a-list' })).toBe(false);
  });

  it('a broken schema fails on its first use, which is why the sweep above exists', () => {
    const broken = { type: 'object', properties: { a: { type: 'no-such-type' } } };
    const check = validator(broken);
    expect(() => check({})).toThrow();
  });

  it('reports errors on the function it returned, call after call', () => {
    const check = validator(Type.Object({ n: Type.Integer() }, { additionalProperties: false }));
    expect(check({ n: 'x' })).toBe(false);
    expect(check.errors?.length).toBeGreaterThan(0);
    expect(check({ n: 1 })).toBe(true);
    expect(check.errors).toBeNull();
    expect(check({ n: 1, extra: true })).toBe(false);
    expect(check.errors?.length).toBeGreaterThan(0);
  });

  it('coerces text parts but not JSON bodies', () => {
    const schema = Type.Object({ n: Type.Integer() });
    const query = { n: '5' };
    expect(validator(schema, 'querystring')(query)).toBe(true);
    expect(query.n).toBe(5);
    expect(validator(schema, 'body')({ n: '5' })).toBe(false);
  });

  it('serializes by the schema on first call and after', () => {
    const serialize = compileSerializer({ schema: Type.Object({ a: Type.Integer() }) });
    expect(serialize({ a: 1, secret: 'x' })).toBe('{"a":1}');
    expect(serialize({ a: 2 })).toBe('{"a":2}');
  });

  describe('the serializer schema', () => {
    const Status = Type.Union([Type.Literal('selected'), Type.Literal('full')]);
    const Shape = Type.Object({
      status: Status,
      note: Type.Union([Type.String({ maxLength: 10 }), Type.Null()]),
      code: Type.Union([Type.String(), Type.Integer()]),
      when: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
      either: Type.Union([Type.Object({ a: Type.Integer() }), Type.Object({ b: Type.String() })]),
      list: Type.Array(Type.Union([Type.Literal(1), Type.Literal(2)])),
    });

    it('writes primitive unions as plain types, leaves the rest, and does not touch the original', () => {
      const before = JSON.stringify(Shape);
      const s = forSerializer(Shape) as { properties: Record<string, Record<string, unknown>> };
      expect(s.properties.status).toEqual({ type: 'string' });
      expect(s.properties.note).toEqual({ type: ['string', 'null'] });
      expect(s.properties.code).toEqual({ type: ['string', 'integer'] });
      expect(s.properties.when!.anyOf).toBeDefined(); // a format changes how a value is written: kept
      expect(s.properties.either!.anyOf).toHaveLength(2); // object branches: kept
      expect((s.properties.list!.items as Record<string, unknown>).type).toBe('number');
      expect(JSON.stringify(Shape)).toBe(before);
    });

    it('writes the same JSON as before for real values, and still drops unknown fields', () => {
      const write = serializerFor(Shape);
      const value = { status: 'full', note: null, code: 7, when: null, either: { b: 'x' }, list: [2, 1] };
      expect(JSON.parse(write({ ...value, secret: 'never sent' }))).toEqual(value);
      expect(JSON.parse(write({ ...value, note: 'n', code: 'c' }))).toEqual({ ...value, note: 'n', code: 'c' });
    });
  });
});
