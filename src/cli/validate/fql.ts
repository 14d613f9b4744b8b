import { parseFql } from '@segment/destination-subscriptions'

const FQL_HELP =
  'Write it in FQL, for example `type = "track"` or `type = "track" and event = "Order Completed"`: ' +
  'quote strings with double quotes, combine conditions with and/or, and use only =, != and the functions contains() and match().'

/** Why a subscription does not parse with `parseFql` (as the monorepo's validate checks it), or undefined. */
export function fqlProblem(query: string): string | undefined {
  try {
    const parsed = parseFql(query)
    if ('error' in parsed) return 'it does not parse as FQL'
    return undefined
  } catch (error) {
    return `it does not parse as FQL (${(error as Error).message})`
  }
}

export function fqlFix(what: string): string {
  return `Fix ${what}. ${FQL_HELP}`
}
