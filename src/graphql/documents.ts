import {
  GraphQLError,
  Kind,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import { asksForIdLists, fragmentsOf } from '../graphql/limits.js';

export interface PreparedOptions {
  /** Rules beyond graphql-js's own, e.g. the query shape limits. */
  validationRules: readonly ValidationRule[];
  /** When false, introspection is refused, as Apollo Server does with `introspection: false`. */
  introspection: boolean;
  /** graphql-js's parser options: the token limit. */
  parseOptions: { maxTokens: number };
  /** Default 32 MiB: total length of the query texts kept. */
  maxCacheChars?: number;
}

/** A query operation of a document that parsed and validated. */
export interface PreparedOperation {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  /** Whether a root field takes a list of ids, to count against MAX_IDS_PER_REQUEST. */
  asksForIdLists: boolean;
}

/** A valid document's query operations by name; `''` is the one picked without a name. */
type PreparedDocument = ReadonlyMap<string, PreparedOperation>;

/**
 * Parsed and validated documents by query text, as Apollo Server's document store keeps them,
 * so a repeated query is neither parsed nor validated again. Texts that fail are remembered as
 * such. Least recently used entries go first once the texts kept pass `maxCacheChars`.
 */
export class PreparedDocuments {
  private readonly documents: LRUCache<string, PreparedDocument | false>;
  private readonly rules: readonly ValidationRule[];

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly options: PreparedOptions,
  ) {
    this.rules = [
      ...specifiedRules,
      ...(options.introspection ? [] : [NoSchemaIntrospectionCustomRule]),
      ...options.validationRules,
    ];
    this.documents = new LRUCache({
      maxSize: options.maxCacheChars ?? 32 * 1024 * 1024,
      sizeCalculation: (_value, query) => Math.max(1, query.length),
    });
  }

  /**
   * The query operation `operationName` picks in `query` (graphql-js's `getOperationAST` rule);
   * undefined when the text does not parse or validate or names no single query operation.
   * Those requests are answered by the general path, which reports why.
   */
  prepare(query: string, operationName: string | undefined): PreparedOperation | undefined {
    // No operation is named '' (graphql-js then finds none); '' below is the unnamed pick.
    if (operationName === '') return undefined;
    let prepared = this.documents.get(query);
    if (prepared === undefined) {
      prepared = this.compile(query);
      this.documents.set(query, prepared);
    }
    return prepared ? prepared.get(operationName ?? '') : undefined;
  }

  private compile(query: string): PreparedDocument | false {
    let document: DocumentNode;
    try {
      document = parse(query, this.options.parseOptions);
    } catch (error) {
      if (error instanceof GraphQLError) return false;
      throw error;
    }
    if (validate(this.schema, document, this.rules).length > 0) return false;
    const fragments = fragmentsOf(document);
    const definitions = document.definitions.filter(
      (definition) => definition.kind === Kind.OPERATION_DEFINITION,
    );
    const operations = new Map<string, PreparedOperation>();
    for (const operation of definitions) {
      if (operation.operation !== 'query') continue;
      const prepared: PreparedOperation = {
        document,
        operation,
        fragments,
        asksForIdLists: asksForIdLists(operation, fragments),
      };
      if (operation.name) operations.set(operation.name.value, prepared);
      if (definitions.length === 1) operations.set('', prepared);
    }
    return operations;
  }
}
