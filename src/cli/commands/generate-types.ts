import type { Command, CommandIO } from '../command'
import { subcommandProgram } from '../command'
import { parseCommandLine } from '../args'
import { destinationDir, loadDestination } from '../load-destination'
import { withPathOption } from './destination-options'
import { SUMMARIES } from '../summaries'

/** Writes every generated-types.ts; with `check`, writes nothing and lists the stale files instead. */
export async function generateTypes(options: { check: boolean; directory?: string }, io: CommandIO): Promise<number> {
  const [{ generatedTypeFiles }, { syncGeneratedFiles }] = await Promise.all([
    import('../generate/types'),
    import('../generate/generated-file')
  ])
  const { directory, definition } = loadDestination(options.directory)
  const files = await generatedTypeFiles(directory, definition)
  return syncGeneratedFiles(files, { check: options.check, command: 'generate:types', io })
}

export const generateTypesCommand: Command = {
  run: async (args, io) => {
    const program = withPathOption(
      subcommandProgram(SUMMARIES.generateTypes, io).option('--check', 'write nothing; exit 1 naming each stale file')
    )
    const parsed = parseCommandLine(program, args)
    if (parsed === 'help') return 0
    const directory = destinationDir(parsed.options.get('path'))
    return await generateTypes({ check: parsed.switches.has('check'), directory }, io)
  }
}
