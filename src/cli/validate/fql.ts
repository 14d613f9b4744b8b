import { parseFql } from '@segment/destination-subscriptions'

const FQL_HELP =
  'Write it in FQL, for example `type = "track"` or `type = "track" and event = "Order Completed"`: ' +
  'quote strings with double quotes, combine conditions with and/or, and use only =, != and the functions contains() and match().'

/** A node of the tree `parseFql` makes: a group of conditions, or one condition. */
export interface FqlNode {
  type?: string
  name?: string
  operator?: string
  value?: unknown
  children?: FqlNode[]
}

/** The query's tree as `parseFql` reads it (as the monorepo's validate does), or undefined when it does not parse. */
export function fqlTree(query: unknown): FqlNode | undefined {
  if (typeof query !== 'string') return undefined
  const tree = parseFql(query)
  return 'error' in tree ? undefined : tree
}

/** Why a subscription does not parse with `parseFql` (as the monorepo's validate checks it), or undefined. */
export function fqlProblem(query: string): string | undefined {
  return fqlTree(query) ? undefined : 'it does not parse as FQL'
}

export function fqlFix(what: string): string {
  return `Fix ${what}. ${FQL_HELP}`
}
