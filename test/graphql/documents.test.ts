import { getOperationAST, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DocumentCache } from '../../src/graphql/documents.js';
import { queryShapeLimits } from '../../src/graphql/limits.js';
import { NoIntrospection } from '../../src/graphql/rules.js';
import { buildSchema } from '../../src/graphql/schema.js';
import { providers } from '../../src/providers.js';

const schema = buildSchema(providers);
const limits = queryShapeLimits({ depth: 10, aliases: 15, cost: 5000 });

function cache(options: { introspection?: boolean; maxBytes?: number } = {}) {
  return new DocumentCache(schema, {
    validationRules: [
      ...limits.validationRules,
      ...(options.introspection === false ? [NoIntrospection] : []),
    ],
    parseOptions: { maxTokens: 2000 },
    maxBytes: options.maxBytes,
  });
}

const pick = (documents: DocumentCache, text: string, name?: string) =>
  DocumentCache.operation(documents.prepare(text), name);

describe('DocumentCache', () => {
  it('picks the operation graphql-js picks', () => {
    const documents = [
      '{ __typename }',
      'query A { __typename }',
      'query A { __typename } query B { __typename }',
      'query A { ...F } fragment F on Query { __typename }',
      'query A { __typename } subscription B { executionUpdated(id: "durable:1") { id } }',
    ];
    const operations = cache();
    for (const text of documents) {
      for (const name of [undefined, 'A', 'B', 'C']) {
        const expected = getOperationAST(parse(text), name);
        expect(pick(operations, text, name)?.operation, `${text} / ${name}`).toEqual(
          expected ?? undefined,
        );
      }
    }
    expect(pick(operations, '{ __typename }', '')).toBeUndefined();
  });

  it('returns one prepared object per text and name, so a repeated query allocates nothing', () => {
    const operations = cache();
    const text = 'query A($id: ID!) { execution(id: $id) { id } }';
    expect(pick(operations, text, 'A')).toBe(pick(operations, text, undefined));
    expect(operations.prepare(text)).toBe(operations.prepare(text));
    expect(pick(operations, text, 'A')?.asksForIdLists).toBe(false);
    const list =
      'query ($ids: [ID!]!) { ...F } fragment F on Query { executions(ids: $ids) { id } }';
    expect(pick(operations, list)?.asksForIdLists).toBe(true);
  });

  it('keeps the errors of what does not parse or validate, and refuses introspection when it is off', () => {
    const operations = cache({ introspection: false });
    const errors = (text: string) => operations.prepare(text).errors?.map(({ message }) => message);
    expect(errors('{ execution(id: ')).toEqual([expect.stringMatching(/^Syntax Error/)]);
    expect(errors('{ nope }')).toEqual(['Cannot query field "nope" on type "Query".']);
    expect(errors('{ __schema { types { name } } }')).toEqual([
      'Introspection is off on this server (INTROSPECTION=false): "__schema" cannot be queried.',
    ]);
    expect(errors('{ __type(name: "Query") { name } }')).toHaveLength(1);
    expect(errors('{ __typename }')).toBeUndefined();
    expect(cache().prepare('{ __schema { types { name } } }').errors).toBeUndefined();
    // The shape limits are validation rules here too.
    const aliases = Array.from(
      { length: 16 },
      (_, i) => `a${i}: execution(id: "durable:1") { id }`,
    ).join(' ');
    expect(errors(`{ ${aliases} }`)).toEqual([expect.stringMatching(/Aliases limit of 15/)]);
    // A failed text is kept too: asked again, it is not parsed again.
    expect(operations.prepare('{ nope }')).toBe(operations.prepare('{ nope }'));
  });

  it('keeps at most maxBytes by estimate (100 bytes per character), least recently used out first', () => {
    const operations = cache({ maxBytes: 100 * 100 });
    const text = (i: number) => `query Q${i} { __typename }`.padEnd(40, ' ');
    const zero = operations.prepare(text(0));
    const one = operations.prepare(text(1));
    expect(operations.prepare(text(0))).toBe(zero);
    // A third text of 40 characters passes 100 characters: the least recently used, text 1, goes.
    operations.prepare(text(2));
    expect(operations.prepare(text(0))).toBe(zero);
    expect(operations.prepare(text(1))).not.toBe(one);
  });

  it("holds Apollo Server's documents inside the same bound", async () => {
    const operations = cache({ maxBytes: 100 * 100 });
    const store = operations.apolloStore();
    const document = parse(`query Apollo { __typename }`.padEnd(60, ' '));
    await store.set('hash-1', document);
    expect(await store.get('hash-1')).toBe(document);
    // 60 characters of Apollo's and 40 of a query text already pass 100: Apollo's, older, goes.
    operations.prepare('query Q { __typename }'.padEnd(41, ' '));
    expect(await store.get('hash-1')).toBeUndefined();
    await store.set('hash-2', parse('{ __typename }'));
    expect(await store.delete('hash-2')).toBe(true);
    expect(await store.get('hash-2')).toBeUndefined();
  });
});
