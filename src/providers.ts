import { cloudShell } from './datasources/cloudshell.js';
import { durableWorkflow } from './datasources/durable.js';
import { paymentWorkflow } from './datasources/payment.js';
import { refold } from './datasources/refold.js';
import { serverlessWorkflow } from './datasources/serverless.js';
import type { ProviderDefinition } from './datasources/datasource.js';

/** Every provider this service knows. Adding one: its definition here, and its files. */
export const providers: readonly ProviderDefinition[] = [
  cloudShell,
  durableWorkflow,
  refold,
  paymentWorkflow,
  serverlessWorkflow,
];

export const providerKeys: readonly string[] = providers.map((provider) => provider.key);
