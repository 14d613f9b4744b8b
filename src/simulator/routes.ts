export type RouteName =
  | 'tags'
  | 'userProfile'
  | 'userEvents'
  | 'groupProfile'
  | 'groupUsers'
  | 'gdprDelete'
  | 'segmentDirect'
  | 'segments'
  | 'segment'
  | 'segmentAddUsers'
  | 'segmentRemoveUsers'

export const ROUTE_NAMES: RouteName[] = [
  'tags',
  'userProfile',
  'userEvents',
  'groupProfile',
  'groupUsers',
  'gdprDelete',
  'segmentDirect',
  'segments',
  'segment',
  'segmentAddUsers',
  'segmentRemoveUsers'
]

export type Region = 'US' | 'EU'

export interface RouteMatch {
  name: RouteName
  /** The methods this path answers; another method gets 405. */
  methods: string[]
  accountId?: string
  userId?: string
  groupId?: string
  segmentId?: string
  region: Region
}

export class BadPathError extends Error {}

interface RouteShape {
  name: RouteName
  methods: string[]
  /** Path segments; `:name` captures one percent-decoded segment. */
  pattern: string[]
}

// One table for both regions: the toolchain routes every Appcues host here, so the paths
// are the same; the region is read from the Host header (api.eu.appcues.com) or an optional /eu or /us prefix.
const ROUTES: RouteShape[] = [
  { name: 'tags', methods: ['GET'], pattern: ['v2', 'accounts', ':accountId', 'tags'] },
  {
    name: 'userProfile',
    methods: ['PATCH', 'GET'],
    pattern: ['v2', 'accounts', ':accountId', 'users', ':userId', 'profile']
  },
  { name: 'userEvents', methods: ['POST'], pattern: ['v2', 'accounts', ':accountId', 'users', ':userId', 'events'] },
  {
    name: 'groupProfile',
    methods: ['PATCH', 'GET'],
    pattern: ['v2', 'accounts', ':accountId', 'groups', ':groupId', 'profile']
  },
  // Appcues' CLI uses POST and other specs PATCH; both are accepted.
  {
    name: 'groupUsers',
    methods: ['POST', 'PATCH'],
    pattern: ['v2', 'accounts', ':accountId', 'groups', ':groupId', 'users']
  },
  { name: 'gdprDelete', methods: ['POST'], pattern: ['v1', 'gdpr', 'delete'] },
  { name: 'segmentDirect', methods: ['POST'], pattern: ['v2', 'accounts', ':accountId', 'segment', 'direct'] },
  // Appcues segments (the audiences flows target), not Segment.
  { name: 'segments', methods: ['GET', 'POST'], pattern: ['v2', 'accounts', ':accountId', 'segments'] },
  { name: 'segment', methods: ['GET', 'DELETE'], pattern: ['v2', 'accounts', ':accountId', 'segments', ':segmentId'] },
  {
    name: 'segmentAddUsers',
    methods: ['POST'],
    pattern: ['v2', 'accounts', ':accountId', 'segments', ':segmentId', 'add_user_ids']
  },
  {
    name: 'segmentRemoveUsers',
    methods: ['POST'],
    pattern: ['v2', 'accounts', ':accountId', 'segments', ':segmentId', 'remove_user_ids']
  }
]

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    throw new BadPathError(`The path segment "${segment}" is not valid percent-encoding.`)
  }
}

function regionOf(host: string | undefined, prefix: string | undefined): Region {
  if (prefix) return prefix === 'eu' ? 'EU' : 'US'
  return host && /(^|\.)eu\./i.test(host) ? 'EU' : 'US'
}

/** Matches a raw request path (not normalised, so an encoded `/` in an id stays inside its segment). */
export function matchRoute(rawPath: string, host: string | undefined): RouteMatch | undefined {
  const pathname = rawPath.split('?')[0]
  let segments = pathname.split('/').slice(1)
  let prefix: string | undefined
  if (segments[0] === 'eu' || segments[0] === 'us') {
    prefix = segments[0]
    segments = segments.slice(1)
  }
  for (const route of ROUTES) {
    if (route.pattern.length !== segments.length) continue
    const captured: Record<string, string> = {}
    const matches = route.pattern.every((part, i) => {
      if (part.startsWith(':')) {
        if (segments[i] === '') return false
        captured[part.slice(1)] = segments[i]
        return true
      }
      return part === segments[i]
    })
    if (!matches) continue
    const params = Object.fromEntries(Object.entries(captured).map(([key, value]) => [key, decode(value)]))
    return { name: route.name, methods: route.methods, region: regionOf(host, prefix), ...params }
  }
  return undefined
}
