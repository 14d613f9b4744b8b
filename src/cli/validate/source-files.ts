import fs from 'fs'
import path from 'path'

export interface SourceFile {
  /** Path relative to the destination folder. */
  relative: string
  /** The code with comments blanked out (line numbers kept). */
  code: string
}

/** Blanks out // and /* comments (keeping newlines) so that scans do not match commented-out code. */
export function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\/|(^|[^:'"`\\])\/\/[^\n]*/g, (match, lead: string | undefined) => {
    const keep = lead ?? ''
    return keep + match.slice(keep.length).replace(/[^\n]/g, ' ')
  })
}

/** The destination's own TypeScript sources: no tests, no generated files. */
export function destinationSources(directory: string): SourceFile[] {
  const files: SourceFile[] = []
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) {
        if (entry.name !== '__tests__' && entry.name !== 'node_modules') walk(full)
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') && entry.name !== 'generated-types.ts') {
        files.push({ relative: path.relative(directory, full), code: withoutComments(fs.readFileSync(full, 'utf8')) })
      }
    }
  }
  walk(directory)
  return files
}

/** The 1-based line numbers where `pattern` (a global regex) matches. */
export function matchingLines(code: string, pattern: RegExp): number[] {
  const lines: number[] = []
  for (const match of code.matchAll(pattern)) {
    lines.push(code.slice(0, match.index).split('\n').length)
  }
  return lines
}
