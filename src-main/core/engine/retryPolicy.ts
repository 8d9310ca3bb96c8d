// When (and whether) a failed attempt is tried again.
import type { StepError } from '../../shared/snapshot';
import type { StepMeta } from './stepWorker';

/** The time of the next attempt, or null when the step has failed for good. */
export function nextRetryAt(step: Pick<StepMeta, 'retry'>, attemptsSoFar: number, error: StepError, now: number): string | null {
  const policy = step.retry;
  if (!policy || error.retryable === false || attemptsSoFar >= policy.maxAttempts) return null;
  const base = policy.intervalMs;
  let wait = policy.backoff === 'exponential' ? base * 2 ** (attemptsSoFar - 1) : base;
  if (policy.maxIntervalMs !== undefined) wait = Math.min(wait, policy.maxIntervalMs);
  return new Date(now + wait).toISOString();
}
