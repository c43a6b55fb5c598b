import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

const common: Options = {
  // Unknown properties are an error the client should hear about, not something to drop silently.
  removeAdditional: false,
  useDefaults: true,
  allErrors: true,
  strict: false,
};

/**
 * With allErrors, Ajv runs a string's pattern even when the string already failed maxLength, so a
 * body near the 1 MB limit would reach every pattern whole. Patterns are linear (shared/ tests them on
 * hostile input), and on top of that a string longer than its maxLength is not matched at all: the
 * maxLength error already says what is wrong.
 */
const BOUNDED_PATTERN = 'x-bounded-pattern';

function boundPatterns(schema: unknown, seen = new Map<object, unknown>()): unknown {
  if (schema === null || typeof schema !== 'object') return schema;
  if (seen.has(schema)) return seen.get(schema);
  const copy: Record<string, unknown> | unknown[] = Array.isArray(schema) ? [] : {};
  seen.set(schema, copy);
  for (const [key, value] of Object.entries(schema)) (copy as Record<string, unknown>)[key] = boundPatterns(value, seen);
  const record = copy as Record<string, unknown>;
  if (!Array.isArray(copy) && typeof record.pattern === 'string' && typeof record.maxLength === 'number') {
    record[BOUNDED_PATTERN] = { pattern: record.pattern, maxLength: record.maxLength };
    delete record.pattern;
  }
  return copy;
}

function makeAjv(options: Options): Ajv {
  const ajv = new Ajv({ ...common, ...options });
  addFormats.default(ajv);
  ajv.addKeyword({
    keyword: BOUNDED_PATTERN,
    type: 'string',
    schemaType: 'object',
    errors: true,
    compile(bound: { pattern: string; maxLength: number }) {
      const regex = new RegExp(bound.pattern, 'u');
      const validate = (data: string) => {
        if (data.length > bound.maxLength || regex.test(data)) return true;
        // The same error a plain `pattern` gives, so clients read it the same way.
        validate.errors = [{ keyword: 'pattern', message: `must match pattern "${bound.pattern}"`, params: { pattern: bound.pattern } }];
        return false;
      };
      validate.errors = null as null | object[];
      return validate as never;
    },
  });
  return ajv;
}

/**
 * Bodies are validated as sent (a number where a string belongs is a 400); URL parts arrive as text,
 * so querystring and params may be coerced ("20" → 20).
 */
export function validatorCompiler(): FastifySchemaCompiler<unknown> {
  const strict = makeAjv({ coerceTypes: false });
  const coercing = makeAjv({ coerceTypes: 'array' });
  return ({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(boundPatterns(schema) as object);
}

/** A check for JSON that arrives outside an HTTP body (a socket frame, a database notification), as strict as a body's. */
export function compileStrictValidator<T>(schema: object): (data: unknown) => data is T {
  const validate = makeAjv({ coerceTypes: false, useDefaults: false }).compile(boundPatterns(schema) as object);
  return (data: unknown): data is T => validate(data) === true;
}
