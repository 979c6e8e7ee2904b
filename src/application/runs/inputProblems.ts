import type { $ZodError } from 'zod/v4/core';
import '../../domain/shared/zodMessages.js';
import type { InputProblem } from '../../domain/runs/ActionInputInvalidError.js';

/** A zod error over a run's inputs as problems a user may read: the field and why, never the value ("is required" when absent). */
export function inputProblemsOf(error: $ZodError, inputs: Readonly<Record<string, unknown>>): InputProblem[] {
  return error.issues.map((issue) => {
    const field = issue.path.map(String).join('.') || '(inputs)';
    const missing = issue.path.length === 1 && inputs[String(issue.path[0])] === undefined;
    return { field, reason: missing ? 'is required' : issue.message };
  });
}
