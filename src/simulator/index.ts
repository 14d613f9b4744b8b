export { startSimulator } from './server'
export type { Simulator } from './server'
export { DEFAULT_CREDENTIALS, DEFAULT_RATE_LIMIT, SimulatorOptionError } from './options'
export type { FaultOptions, SimulatorCredentials, SimulatorOptions } from './options'
export type {
  Attributes,
  DroppedFinding,
  RequestRecord,
  SimulatorCounts,
  SimulatorState,
  StoredDeletion,
  StoredEvent,
  StoredGroup,
  StoredMembership,
  StoredProfile,
  StoredSegmentMessage,
  StoredSegmentChange,
  StoredSegmentCreation,
  StoredSegmentDeletion
} from './store'
export { describeHoldings } from './view'
export { ROUTE_NAMES } from './routes'
export type { RouteName } from './routes'
export { APPCUES_HOSTS, HostRouteError, routeAppcuesHostsTo, routedTarget } from './host-route'
export { startRoutedSimulator } from './routed'
