export type ActionError = Error & { status?: number; code?: string }

/** The error a call rejects with; fails the test when the call succeeds instead. */
export async function failure(promise: Promise<unknown>): Promise<ActionError> {
  try {
    await promise
  } catch (error) {
    return error as ActionError
  }
  throw new Error('expected the call to fail, but it succeeded')
}
