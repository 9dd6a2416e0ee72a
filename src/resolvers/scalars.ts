import { GraphQLScalarType, Kind, valueFromASTUntyped } from 'graphql';
import { parseTimestamp } from '../time.js';

function toIso(value: unknown): string {
  const date =
    value instanceof Date ? value : typeof value === 'string' ? parseTimestamp(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    throw new TypeError(
      `DateTime cannot represent ${JSON.stringify(value)}: expected an RFC 3339 timestamp.`,
    );
  }
  return date.toISOString();
}

export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  serialize: toIso,
  parseValue: toIso,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING)
      throw new TypeError('DateTime literals are strings, e.g. "2023-10-31T14:19:34.788Z".');
    return toIso(ast.value);
  },
});

export const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});
