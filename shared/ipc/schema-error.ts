/** Schema failures as one sentence. A leaf module: anything may import it without an import cycle. */
import type { z } from 'zod';

/** Formats a zod error as one sentence naming each bad field and what was expected. */
export function describeSchemaError(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'payload'}: ${issue.message}`)
    .join('; ');
}
