import { ApolloClient, HttpLink, InMemoryCache, type TypedDocumentNode } from '@apollo/client';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import possibleTypesResult from '../../client/possible-types.js';
import { ExecutionsDocument } from '../../client/graphql/graphql.js';
import { demoHeaders } from '../../src/demo.js';
import { providers } from '../../src/providers.js';
import { startHarness, type Harness } from '../harness.js';

const DEMO_HEADERS = await demoHeaders();

// The query of issue 17: the common fields through a fragment on the interface.
const BASICS_TEXT = `
  fragment Basics on Execution { id state startedAt }
  query Basics($ids: [ID!]!) { executions(ids: $ids) { ...Basics } }
`;
const BASICS: TypedDocumentNode<{
  executions: Array<{ __typename: string; id?: string; state?: string; startedAt?: string | null }>;
}> = parse(BASICS_TEXT);

let h: Harness;
/** The first seeded execution of every provider, as a global id. */
let ids: string[];

beforeAll(async () => {
  h = await startHarness();
  ids = providers.map(({ datasource: { key } }) => `${key}:${h.sims[key]!.seeded[0]!.id}`);
});
afterAll(() => h?.close());

/** Apollo Client 4 over HTTP to the subgraph, with a fresh cache. */
function client(cache: InMemoryCache): ApolloClient {
  return new ApolloClient({
    link: new HttpLink({ uri: `${h.app.url}/graphql`, headers: DEMO_HEADERS }),
    cache,
  });
}

describe('possibleTypes of the client kit', () => {
  it('names every type implementing Execution', () => {
    expect(possibleTypesResult.possibleTypes.Execution.toSorted()).toEqual(
      providers.map(({ type }) => type.typename).toSorted(),
    );
  });

  it('lets Apollo Client answer a fragment on Execution in full, for all five types', async () => {
    const apollo = client(new InMemoryCache({ possibleTypes: possibleTypesResult.possibleTypes }));
    const { data, error } = await apollo.query({ query: BASICS, variables: { ids } });
    expect(error).toBeUndefined();
    // Apollo adds __typename to every selection; otherwise the page gets what the server sent.
    const direct = await h.query(BASICS_TEXT.replace('startedAt', 'startedAt __typename'), { ids });
    expect(direct.body.errors).toBeUndefined();
    expect(data).toEqual(direct.body.data);
    expect(data!.executions.map((execution) => Object.keys(execution).toSorted())).toEqual(
      ids.map(() => ['__typename', 'id', 'startedAt', 'state']),
    );
    expect(data!.executions.map(({ __typename }) => __typename)).toEqual(
      providers.map(({ type }) => type.typename),
    );
  });

  it('is what the answer needs: without it the fragment fields are missing', async () => {
    const apollo = client(new InMemoryCache());
    // Apollo Client only warns on the console ("Cannot match fragment `Basics` ...").
    const { data, error } = await apollo.query({ query: BASICS, variables: { ids } });
    expect(error).toBeUndefined();
    expect(data).toEqual({
      executions: providers.map(({ type }) => ({ __typename: type.typename })),
    });
  });

  it('answers the typed ExecutionsDocument with each type of its own fields', async () => {
    const apollo = client(new InMemoryCache({ possibleTypes: possibleTypesResult.possibleTypes }));
    const { data } = await apollo.query({ query: ExecutionsDocument, variables: { ids } });
    const byType = Object.fromEntries(data!.executions.map((e) => [e!.__typename, e!]));
    expect(Object.keys(byType).toSorted()).toEqual(
      providers.map(({ type }) => type.typename).toSorted(),
    );
    for (const execution of Object.values(byType)) {
      expect(execution).toMatchObject({ id: expect.any(String), state: expect.any(String) });
      expect(typeof execution.canStop).toBe('boolean');
    }
    expect(byType.DurableWorkflowExecution).toHaveProperty('retryCount');
    expect(byType.PaymentWorkflowExecution).toHaveProperty('events');
    expect(byType.CloudShellExecution).toHaveProperty('supportsCancellation');
  });
});
