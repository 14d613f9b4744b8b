import { isLosslessNumber, isSafeNumber, parse } from 'lossless-json'

/**
 * A number token in JSON text that might not survive being read as a JavaScript number: 16 or more digits (with a
 * dot among them), an exponent, or a negative zero. A number of at most 15 digits without an exponent always reads
 * back exactly, so only lines with such a token are parsed again, losslessly, to check. Tokens inside strings match
 * too; they only cost that second parse.
 */
const RISKY_NUMBER = /[:,[]\s*(?:-?[\d.]{16}|-?[\d.]+[eE]|-0[.0]*(?![\d.eE]))/

/** Why JavaScript cannot carry the number written as `text` exactly, or undefined when it can. */
function numberProblem(text: string): string | undefined {
  const value = Number(text)
  if (value === 0 && text.startsWith('-')) return 'is a negative zero, which JSON carries as 0'
  if (isSafeNumber(text)) return undefined
  const becomes = `it would become ${String(value)}`
  if (!Number.isFinite(value)) return `is too large for a JavaScript number (${becomes})`
  if (value === 0) return `is too small for a JavaScript number (${becomes})`
  if (Number.isInteger(value)) {
    return `is a whole number beyond 2^53 (${Number.MAX_SAFE_INTEGER}), where JavaScript cannot keep every whole number apart (${becomes})`
  }
  return `has more digits than a JavaScript number keeps (${becomes})`
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/

function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`
  const part = IDENTIFIER.test(key) ? key : JSON.stringify(key)
  return parent === '' ? part : IDENTIFIER.test(key) ? `${parent}.${part}` : `${parent}[${part}]`
}

/** The first number in a losslessly parsed value that JavaScript cannot carry, with its path. */
function findInexact(value: unknown, at: string): { path: string; text: string; problem: string } | undefined {
  if (isLosslessNumber(value)) {
    const problem = numberProblem(value.value)
    return problem ? { path: at, text: value.value, problem } : undefined
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findInexact(item, childPath(at, index))
      if (found) return found
    }
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = findInexact(item, childPath(at, key))
      if (found) return found
    }
  }
  return undefined
}

/**
 * Why a line of valid JSON holds a number that would change on its way through `send` (read as a JavaScript number,
 * then written again): a whole number beyond 2^53 (two IDs would become one), more digits than a number keeps, a
 * value that overflows or underflows, or a negative zero. Undefined when every number is carried exactly.
 */
export function inexactNumber(text: string): string | undefined {
  if (!RISKY_NUMBER.test(text)) return undefined
  let value: unknown
  try {
    value = parse(text)
  } catch (error) {
    return `it cannot be read exactly (${(error as Error).message})`
  }
  const found = findInexact(value, '')
  if (!found) return undefined
  return `the number ${found.text} at ${found.path || 'the top'} ${found.problem}; write it as a string ("${
    found.text
  }") to keep it exactly`
}
