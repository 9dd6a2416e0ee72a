import { getOperationAST, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { queryShapeLimits } from '../../src/graphql/limits.js';
import { PreparedDocuments } from '../../src/http/documents.js';
import { buildSchema } from '../../src/graphql/schema.js';

const schema = buildSchema();
const limits = queryShapeLimits({ depth: 10, aliases: 15, cost: 5000 });

function prepared(options: { introspection?: boolean; maxCacheChars?: number } = {}) {
  return new PreparedDocuments(schema, {
    validationRules: limits.validationRules,
    introspection: options.introspection ?? true,
    parseOptions: { maxTokens: 2000 },
    maxCacheChars: options.maxCacheChars,
  });
}

describe('PreparedDocuments', () => {
  it('picks the operation graphql-js picks, for query operations only', () => {
    const documents = [
      '{ __typename }',
      'query A { __typename }',
      'query A { __typename } query B { __typename }',
      'query A { ...F } fragment F on Query { __typename }',
    ];
    const operations = prepared();
    for (const text of documents) {
      for (const name of [undefined, 'A', 'B', 'C']) {
        const expected = getOperationAST(parse(text), name);
        expect(operations.prepare(text, name)?.operation.name?.value, `${text} / ${name}`).toBe(
          expected?.name?.value,
        );
        expect(Boolean(operations.prepare(text, name)), `${text} / ${name}`).toBe(
          expected !== null,
        );
      }
    }
  });

  it('returns one prepared object per text and name, so a repeated query allocates nothing', () => {
    const operations = prepared();
    const text = 'query A($id: ID!) { execution(id: $id) { id } }';
    expect(operations.prepare(text, 'A')).toBe(operations.prepare(text, undefined));
    expect(operations.prepare(text, 'A')?.asksForIdLists).toBe(false);
    const list =
      'query ($ids: [ID!]!) { ...F } fragment F on Query { executions(ids: $ids) { id } }';
    expect(operations.prepare(list, undefined)?.asksForIdLists).toBe(true);
  });

  it('refuses what does not parse or validate, and introspection when it is off', () => {
    const operations = prepared({ introspection: false });
    expect(operations.prepare('{ execution(id: ', undefined)).toBeUndefined();
    expect(operations.prepare('{ nope }', undefined)).toBeUndefined();
    expect(operations.prepare('{ __schema { types { name } } }', undefined)).toBeUndefined();
    expect(prepared().prepare('{ __schema { types { name } } }', undefined)).toBeDefined();
    // The shape limits are validation rules here too.
    const aliases = Array.from(
      { length: 16 },
      (_, i) => `a${i}: execution(id: "durable:1") { id }`,
    ).join(' ');
    expect(operations.prepare(`{ ${aliases} }`, undefined)).toBeUndefined();
  });

  it('keeps at most maxCacheChars of query text, least recently used out first', () => {
    const operations = prepared({ maxCacheChars: 100 });
    const text = (i: number) => `query Q${i} { __typename }`.padEnd(40, ' ');
    const zero = operations.prepare(text(0), undefined);
    const one = operations.prepare(text(1), undefined);
    expect(operations.prepare(text(0), undefined)).toBe(zero);
    // A third text of 40 characters passes 100: the least recently used, text 1, goes.
    operations.prepare(text(2), undefined);
    expect(operations.prepare(text(0), undefined)).toBe(zero);
    expect(operations.prepare(text(1), undefined)).not.toBe(one);
  });
});
