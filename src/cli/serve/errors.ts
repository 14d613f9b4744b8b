import { HTTPError, PayloadValidationError } from '@segment/actions-core'
import { eventShapeProblem } from '../event-shape'

/** An error as Segment's `serve` answers it: inside a 200 response, in a one-element array. */
export interface ErrorOutput {
  statusCode: number
  message: string
  /** Always empty: a stack trace shows the machine's absolute paths, and the message says what went wrong. */
  stack: string[]
  fields?: Record<string, string>
  requestError: true
}

interface AjvFieldError {
  path: string
  message: string
}

/**
 * The per-field messages of an AggregateAjvError (settings or payload validation), keyed by field. A missing
 * required field is reported by AJV at the root ("$"); it is keyed by the missing field's name instead.
 */
export function ajvFields(error: unknown): Record<string, string> | undefined {
  const candidate = error as Partial<Iterable<AjvFieldError>> & { name?: string }
  if (candidate?.name !== 'AggregateAjvError' || typeof candidate[Symbol.iterator] !== 'function') return undefined
  const fields: Record<string, string> = {}
  for (const fieldError of candidate as Iterable<AjvFieldError>) {
    let name = String(fieldError.path).replace(/^\$\.?/, '')
    if (name === '') name = /required field '([^']+)'/.exec(fieldError.message)?.[1] ?? '$'
    fields[name] = fieldError.message
  }
  return fields
}

export function errorOutput(error: unknown): ErrorOutput {
  const err = error instanceof Error ? error : new Error(String(error))
  const status = (err as { status?: unknown }).status
  let statusCode = typeof status === 'number' ? status : 500
  let message: unknown = err.message
  if (err instanceof HTTPError) {
    const response = err.response as HTTPError['response'] & { data?: unknown; content?: string }
    statusCode = response?.status ?? statusCode
    message = response?.data ?? response?.content ?? err.message
  }
  const fields = ajvFields(err)
  // Payload and settings validation errors carry no status here; Segment reports them as 400 on the event path.
  if (fields && typeof status !== 'number') statusCode = 400
  return {
    statusCode,
    message: typeof message === 'string' ? message : JSON.stringify(message),
    stack: [],
    ...(fields ? { fields } : {}),
    requestError: true
  }
}

/** Refuses an event whose shape actions-core would trip over, with the real reason (the one `send` reports too). */
export function rejectMalformedEvent(event: Record<string, unknown>): void {
  const problem = eventShapeProblem(event)
  if (problem) throw new PayloadValidationError(problem)
}
