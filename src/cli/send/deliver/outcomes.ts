/** What became of one delivery unit (one event through one subscription). */
export type UnitOutcome =
  | { kind: 'delivered' }
  /** The subscription's filter did not match the event. */
  | { kind: 'skipped' }
  /** The destination refused the event itself (mapping, validation, Appcues 400); sending it again will not help. */
  | { kind: 'rejected'; reason: string; status?: number }
  /** Delivery failed: retries ran out, or a failure that is not about the event. */
  | { kind: 'failed'; reason: string; status?: number }

/** The result of one attempt: an outcome, or a retryable failure. */
export type AttemptResult =
  | UnitOutcome
  | { kind: 'retry'; reason: string; status?: number; retryAfterMs?: number }
  /** Appcues refused the credentials or the account: the run stops, since every other event would fail too. */
  | { kind: 'fatal'; reason: string; status?: number }
