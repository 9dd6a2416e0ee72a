import { CombinedGraphQLErrors, type ErrorLike } from '@apollo/client';

/** The messages of an error as the console shows them: `CODE: message`. */
export function messagesOf(error: ErrorLike | undefined): string[] {
  if (!error) return [];
  if (!CombinedGraphQLErrors.is(error)) return [error.message];
  return error.errors.map(({ message, extensions }) =>
    extensions?.code ? `${String(extensions.code)}: ${message}` : message,
  );
}
