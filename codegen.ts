import type { CodegenConfig } from '@graphql-codegen/cli';

// Raw upstream shapes are the parents of their GraphQL types: renames happen in field resolvers.
const config: CodegenConfig = {
  schema: 'schema/*.graphql',
  generates: {
    'src/__generated__/resolvers-types.ts': {
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        federation: true,
        useTypeImports: true,
        enumsAsTypes: true,
        useIndexSignature: false,
        contextType: '../graphql/context.js#Context',
        // Resolvers may hand the DateTime scalar a Date: it serializes it, with no second parse.
        scalars: { DateTime: { input: 'string', output: 'Date | string' }, JSON: 'unknown' },
        mappers: {
          CloudShellExecution: '../datasources/cloudshell.js#CloudShellExecutionRaw',
          Link: '../datasources/cloudshell.js#CloudShellLinkRaw',
          DurableWorkflowExecution: '../datasources/durable.js#DurableExecutionRaw',
          RefoldExecution: '../datasources/refold.js#RefoldExecutionRaw',
          RefoldApplication: '../datasources/refold.js#RefoldAssociatedRaw',
          RefoldWorkflow: '../datasources/refold.js#RefoldAssociatedRaw',
          PaymentWorkflowExecution: '../datasources/payment.js#PaymentExecutionRaw',
          PaymentWorkflowEvent: '../datasources/payment.js#PaymentEventRaw',
          ServerlessWorkflowExecution: '../datasources/serverless.js#ServerlessExecutionRaw',
        },
      },
    },
  },
};

export default config;
