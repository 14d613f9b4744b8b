/** What a command accepts: boolean switches and options that take one value. */
export interface ArgSpec {
  switches?: string[]
  options?: string[]
}

export interface ParsedArgs {
  switches: Set<string>
  options: Map<string, string>
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

/** Parses `--flag`, `--option value` and `--option=value`; anything else is a usage error that names the fix. */
export function parseArgs(args: string[], spec: ArgSpec, usage: string): ParsedArgs {
  const switches = new Set<string>()
  const options = new Map<string, string>()
  const known = [...(spec.switches ?? []), ...(spec.options ?? [])].map((name) => `--${name}`)
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg]
    const name = flag.replace(/^--/, '')
    if (flag.startsWith('--') && spec.switches?.includes(name) && inline === undefined) {
      switches.add(name)
    } else if (flag.startsWith('--') && spec.options?.includes(name)) {
      const value = inline ?? args[++i]
      if (value === undefined || value === '') throw new UsageError(`${flag} needs a value. Usage: ${usage}`)
      options.set(name, value)
    } else {
      const accepted = known.length > 0 ? ` It accepts ${known.join(', ')}.` : ''
      throw new UsageError(`Unknown argument "${arg}".${accepted} Usage: ${usage}`)
    }
  }
  return { switches, options }
}
