import path from 'path'
import { describePlace } from './finding'
import type { Finding } from './finding'
import type { ValidationResult } from './index'

const ORDER = { error: 0, warning: 1 }

/** Sorts errors first, then by rule number (A1 … I42, then the contract). */
function compare(a: Finding, b: Finding): number {
  const rank = (rule: string) => {
    const match = /^([A-Z])(\d+)/.exec(rule)
    return match ? `${match[1]}${match[2].padStart(3, '0')}` : `Z${rule}`
  }
  return ORDER[a.severity] - ORDER[b.severity] || rank(a.rule).localeCompare(rank(b.rule))
}

export function counts(findings: Finding[]): { errors: number; warnings: number } {
  const errors = findings.filter((finding) => finding.severity === 'error').length
  return { errors, warnings: findings.length - errors }
}

/** The human report: one block per finding (severity, rule, place, message, fix), then a summary line. */
export function formatReport(result: ValidationResult): string[] {
  const lines: string[] = []
  for (const finding of [...result.findings].sort(compare)) {
    lines.push(`${finding.severity} [${finding.rule}] ${describePlace(finding.place)}`)
    lines.push(`  ${finding.message}`)
    lines.push(`  fix: ${finding.fix}`)
  }
  const { errors, warnings } = counts(result.findings)
  const where = path.relative(process.cwd(), result.directory) || '.'
  const subject = result.name ? `"${result.name}" (${where})` : where
  const verdict = errors > 0 ? 'One or more validation errors were found.' : 'Validation passed.'
  lines.push(`${subject}: ${errors} error(s), ${warnings} warning(s). ${verdict}`)
  return lines
}
