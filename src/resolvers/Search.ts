import { locatedError } from 'graphql';
import { pathToArray } from 'graphql/jsutils/Path.js';
import type {
  ExecutionConnectionResolvers,
  ExecutionPageInfoResolvers,
  ExecutionProvider,
  ExecutionSearchProviderResolvers,
  QueryResolvers,
} from '../__generated__/resolvers-types.js';

/**
 * `searchExecutions`: the search's page as it is, and its failed providers' errors reported
 * besides it (the page holds the others' executions).
 */
export const searchExecutions: NonNullable<QueryResolvers['searchExecutions']> = async (
  _,
  { filter, first, after },
  context,
  info,
) => {
  const page = await context.search.page(context.executions, { filter, first, after });
  for (const error of page.errors) {
    context.reported.push(locatedError(error, info.fieldNodes, pathToArray(info.path)));
  }
  return page;
};

const ExecutionConnection: ExecutionConnectionResolvers = {
  edges: (page) => page.edges,
  nodes: (page) => page.edges.map((edge) => edge.node),
  pageInfo: (page) => page,
  providers: (page) => page.providers,
};

const ExecutionPageInfo: ExecutionPageInfoResolvers = {
  hasNextPage: (page) => page.hasNextPage,
  endCursor: (page) => page.endCursor,
  hasPreviousPage: (page) => page.hasPreviousPage,
  startCursor: (page) => page.startCursor,
};

const ExecutionSearchProvider: ExecutionSearchProviderResolvers = {
  provider: (report) => report.provider as ExecutionProvider,
};

/** The resolvers of the search's types. */
export const SearchTypes = { ExecutionConnection, ExecutionPageInfo, ExecutionSearchProvider };
