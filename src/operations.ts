import {
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  getOperationAST,
  getVariableValues,
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
import { fragmentsOf } from './limits.js';

export interface PreparedOptions {
  /** Rules beyond graphql-js's own, e.g. the query shape limits. */
  validationRules: readonly ValidationRule[];
  /** When false, introspection is refused, as Apollo Server does with `introspection: false`. */
  introspection: boolean;
  maxTokens: number;
  /** Default 32 MiB: total length of the query texts kept. */
  maxCacheChars?: number;
}

/** A document that parsed and validated, with what each request needs of it. */
export interface PreparedDocument {
  document: DocumentNode;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
}

/** An operation ready to execute: its document, the operation and its coerced variables. */
export interface PreparedOperation extends PreparedDocument {
  operation: OperationDefinitionNode;
  variables: Record<string, unknown>;
}

/**
 * Parsed and validated documents by query text, as Apollo Server's document store keeps them,
 * so a repeated query is neither parsed nor validated again. Texts that fail are remembered as
 * such. Least recently used entries go first once the texts kept pass `maxCacheChars`.
 */
export class PreparedOperations {
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
   * The operation `operationName` picks in `query`, with `variables` coerced; undefined when the
   * query does not parse or validate, names no single query operation, or its variables do not
   * coerce. Those requests are answered by the general path, which reports why.
   */
  prepare(
    query: string,
    operationName: string | undefined,
    variables: Record<string, unknown> | undefined,
  ): PreparedOperation | undefined {
    const prepared = this.document(query);
    if (!prepared) return undefined;
    const operation = getOperationAST(prepared.document, operationName);
    if (!operation || operation.operation !== 'query') return undefined;
    const coerced = getVariableValues(
      this.schema,
      operation.variableDefinitions ?? [],
      variables ?? {},
    );
    if (coerced.errors) return undefined;
    return { ...prepared, operation, variables: coerced.coerced };
  }

  private document(query: string): PreparedDocument | undefined {
    let prepared = this.documents.get(query);
    if (prepared === undefined) {
      prepared = this.compile(query);
      this.documents.set(query, prepared);
    }
    return prepared || undefined;
  }

  private compile(query: string): PreparedDocument | false {
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: this.options.maxTokens });
    } catch (error) {
      if (error instanceof GraphQLError) return false;
      throw error;
    }
    if (validate(this.schema, document, this.rules).length > 0) return false;
    return { document, fragments: fragmentsOf(document) };
  }
}
