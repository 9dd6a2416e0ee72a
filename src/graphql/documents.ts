import {
  GraphQLError,
  Kind,
  parse,
  TokenKind,
  specifiedRules,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import type { StepSpan } from '../telemetry/tracing-hooks.js';
import { asksForIdLists, fragmentsOf } from './limits.js';

/**
 * Default 32 MiB: what the parsed documents kept may take, by estimate. A parsed document with
 * its locations takes 20 to 99 bytes per character of its text (the most for a valid one: a
 * short alias after another, `a1:id a2:id …`); 100 bounds it. A text that fails is kept with its
 * errors, up to 101 of them whatever its length: each takes 1.5 to 1.8 KiB more (the error,
 * its message, locations and extensions); 3 KiB bounds it.
 */
const DEFAULT_CACHE_BYTES = 32 * 1024 * 1024;
const BYTES_PER_CHAR = 100;
const BYTES_PER_ERROR = 3 * 1024;

export interface DocumentCacheOptions {
  /** Rules beyond graphql-js's own: the query shape limits, known operation types, introspection. */
  validationRules: readonly ValidationRule[];
  /** graphql-js's parser options: the token limit. */
  parseOptions: { maxTokens: number };
  /** Default 32 MiB: the estimated bytes of every document kept, Apollo Server's included. */
  maxBytes?: number;
}

/** One operation of a document that parsed and validated, with what the limits need of it. */
export interface PreparedOperation {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  /** Whether a root field takes a list of ids, to count against MAX_IDS_PER_REQUEST. */
  asksForIdLists: boolean;
}

/** A query text, prepared: its operations by name (`''` the one picked without a name), or why not. */
export type PreparedDocument =
  | { operations: ReadonlyMap<string, PreparedOperation>; errors?: undefined }
  | { errors: readonly GraphQLError[] };

/** What Apollo Server keeps its validated documents in (its `documentStore`). */
export interface DocumentStore {
  get(key: string): Promise<DocumentNode | undefined>;
  set(key: string, value: DocumentNode): Promise<void>;
  delete(key: string): Promise<boolean>;
}

type Entry = PreparedDocument | DocumentNode;

/**
 * The one cache of parsed and validated documents, by query text, for every way in: a repeated
 * query is neither parsed nor validated again. Texts that fail are kept with their errors.
 * Apollo Server's route keeps its documents here too (`apolloStore`), so one bound in bytes
 * (an estimate from the text's length) holds them all; least recently used entries go first.
 */
export class DocumentCache {
  private readonly entries: LRUCache<string, Entry>;
  private readonly rules: readonly ValidationRule[];

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly options: DocumentCacheOptions,
  ) {
    this.rules = [...specifiedRules, ...options.validationRules];
    this.entries = new LRUCache({
      maxSize: options.maxBytes ?? DEFAULT_CACHE_BYTES,
      sizeCalculation: (entry, key) => estimatedBytes(entry, key),
    });
  }

  /**
   * `query` parsed and validated: its operations, or the errors that refuse it. `step` (tracing
   * on) starts the span of parsing and of validating, when they run.
   */
  prepare(
    query: string,
    step?: (step: 'parse' | 'validate') => StepSpan | undefined,
  ): PreparedDocument {
    // By the text itself: no key is built on the hot path. Apollo's entries are `apollo:<hash>`,
    // which no valid query is; a text that is one is compiled (and refused) in their place.
    const known = this.entries.get(query);
    if (known && !('kind' in known)) return known;
    const prepared = this.compile(query, step);
    this.entries.set(query, prepared);
    return prepared;
  }

  /**
   * The operation `operationName` picks in a prepared document, as graphql-js's
   * `getOperationAST` picks it; undefined when it names none.
   */
  static operation(
    prepared: PreparedDocument,
    operationName: string | null | undefined,
  ): PreparedOperation | undefined {
    // No operation is named '' (graphql-js then finds none); '' below is the unnamed pick.
    if (prepared.errors || operationName === '') return undefined;
    return prepared.operations.get(operationName ?? '');
  }

  /** Apollo Server's document store, inside this cache's bound. */
  apolloStore(): DocumentStore {
    return {
      get: async (key) => {
        const entry = this.entries.get(`apollo:${key}`);
        return entry && 'kind' in entry ? entry : undefined;
      },
      set: async (key, document) => {
        this.entries.set(`apollo:${key}`, document);
      },
      delete: async (key) => this.entries.delete(`apollo:${key}`),
    };
  }

  private compile(
    query: string,
    step?: (step: 'parse' | 'validate') => StepSpan | undefined,
  ): PreparedDocument {
    let document: DocumentNode;
    const parsing = step?.('parse');
    try {
      document = parse(query, this.options.parseOptions);
    } catch (error) {
      parsing?.end(true);
      if (error instanceof GraphQLError) return { errors: [coded(error, 'GRAPHQL_PARSE_FAILED')] };
      throw error;
    }
    parsing?.end();
    const validating = step?.('validate');
    const errors = validate(this.schema, document, this.rules);
    validating?.end(errors.length > 0);
    if (errors.length > 0) {
      return { errors: errors.map((error) => coded(error, 'GRAPHQL_VALIDATION_FAILED')) };
    }
    const fragments = fragmentsOf(document);
    const definitions = document.definitions.filter(
      (definition) => definition.kind === Kind.OPERATION_DEFINITION,
    );
    const operations = new Map<string, PreparedOperation>();
    for (const operation of definitions) {
      const prepared: PreparedOperation = {
        document,
        operation,
        fragments,
        asksForIdLists: asksForIdLists(operation, fragments),
      };
      if (operation.name) operations.set(operation.name.value, prepared);
      if (definitions.length === 1) operations.set('', prepared);
    }
    return { operations };
  }
}

/**
 * `error` with the code Apollo Server gives a refusal of its kind (and HTTP 400), so every way
 * in reports a query that does not parse or validate alike. It has no stack trace: it is kept
 * in the cache, and a stack not yet read keeps its frames' objects alive (the validation's own
 * errors and context, some 3 KiB an error), which no client sees.
 */
function coded(error: GraphQLError, code: string): GraphQLError {
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new GraphQLError(error.message, {
      nodes: error.nodes,
      source: error.source,
      positions: error.positions,
      path: error.path,
      originalError: error.originalError,
      extensions: { ...error.extensions, code, http: { status: 400 } },
    });
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/**
 * An entry's size: its text's (a document of Apollo's: its source's) length times the estimate
 * per character, and for a text that failed, its errors times the estimate per error.
 */
function estimatedBytes(entry: Entry, key: string): number {
  const chars = 'kind' in entry ? (entry.loc?.source.body.length ?? key.length) : key.length;
  const errors = 'errors' in entry && entry.errors ? entry.errors.length : 0;
  return Math.max(1, chars) * BYTES_PER_CHAR + errors * BYTES_PER_ERROR;
}

/** What a document's source in a span hides, and what it puts in its place. */
const MASKS = new Map<string, string>([
  [TokenKind.INT, '*'],
  [TokenKind.FLOAT, '*'],
  [TokenKind.STRING, '"*"'],
  [TokenKind.BLOCK_STRING, '"*"'],
  [TokenKind.COMMENT, '#'],
]);
const sources = new WeakMap<DocumentNode, string>();

/**
 * `document`'s text with every literal value replaced by `*` (a string's by `"*"`, a comment's
 * text dropped), as OpenTelemetry's GraphQL conventions put it in `graphql.source`: an argument
 * may hold anything, a secret included. Worked out once per document.
 */
export function maskedSource(document: DocumentNode): string | undefined {
  const known = sources.get(document);
  if (known !== undefined) return known;
  const loc = document.loc;
  if (!loc) return undefined;
  const body = loc.source.body;
  let text = '';
  let at = loc.start;
  for (let token = loc.startToken.next; token && token.kind !== TokenKind.EOF; token = token.next) {
    const mask = MASKS.get(token.kind);
    if (mask === undefined) continue;
    text += body.slice(at, token.start) + mask;
    at = token.end;
  }
  text += body.slice(at, loc.end);
  sources.set(document, text);
  return text;
}
