import type { ValidationContext } from './context'
import { error, warning } from './finding'
import type { Finding } from './finding'
import { destinationSources, matchingLines } from './source-files'

const BARE_ERROR = /\b(?:new\s+Error|throw\s+Error)\s*\(/g
const CONSOLE = /\bconsole\s*\.\s*(?:log|info|warn|error|debug|trace)\s*\(/g
/** Any member of Segment's logger or stats context, called directly or through a chain (`statsContext?.statsClient?.incr`). */
const INTERNAL_CONTEXT = /\b(?:logger|statsContext|statsClient)\s*\??\.\s*\w/g

/** Rules 32 (no bare Error) and 41 (no console logging, no Segment-internal logger/statsContext) over the sources. */
export function sourceRules({ directory }: ValidationContext): Finding[] {
  const findings: Finding[] = []
  for (const { relative, code } of destinationSources(directory)) {
    for (const line of matchingLines(code, BARE_ERROR)) {
      findings.push(
        error(
          'G32',
          { file: `${relative}:${line}` },
          'A bare Error is thrown; Segment treats it as an unknown failure and cannot tell whether to retry.',
          'Throw an actions-core error instead: PayloadValidationError for bad input, InvalidAuthenticationError for credentials, RetryableError or APIError for API failures, IntegrationError otherwise.'
        )
      )
    }
    for (const line of matchingLines(code, CONSOLE)) {
      findings.push(
        warning(
          'I41',
          { file: `${relative}:${line}` },
          'The destination logs with console; in Segment that output is lost or, worse, leaks data.',
          'Remove the console call; report problems by throwing actions-core errors with clear messages.'
        )
      )
    }
    for (const line of matchingLines(code, INTERNAL_CONTEXT)) {
      findings.push(
        warning(
          'I41',
          { file: `${relative}:${line}` },
          '`logger` and `statsContext` are Segment-internal and not for partner destinations.',
          'Remove the call.'
        )
      )
    }
  }
  return findings
}
