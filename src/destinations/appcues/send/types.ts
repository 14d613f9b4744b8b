/** What every Segment call posted to Appcues may carry, when the event has it. */
interface SegmentCallBase {
  userId?: string
  anonymousId?: string
  context?: Record<string, unknown>
  integrations?: Record<string, unknown>
  timestamp?: string
  messageId?: string
}

interface AppcuesTrackRequest extends SegmentCallBase {
  type: 'track'
  event: string
  properties?: Record<string, unknown>
}

interface AppcuesPageRequest extends SegmentCallBase {
  type: 'page' | 'screen'
  name?: string
  properties?: Record<string, unknown>
}

interface AppcuesIdentifyRequest extends SegmentCallBase {
  type: 'identify'
  traits?: Record<string, unknown>
}

interface AppcuesGroupRequest extends SegmentCallBase {
  type: 'group'
  groupId: string
  traits?: Record<string, unknown>
}

/** One Segment call as Appcues' Segment endpoint takes it. */
export type AppcuesRequest = AppcuesTrackRequest | AppcuesPageRequest | AppcuesIdentifyRequest | AppcuesGroupRequest
