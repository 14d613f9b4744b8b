import type { Command, CommandIO } from '../command'
import { parseArgs } from '../args'
import { syncGeneratedFiles } from '../generate/generated-file'
import { generatedTypeFiles } from '../generate/types'
import { destinationDir, loadDestination } from '../load-destination'

const USAGE = 'generate:types [--check] [--path DIR]'

/** Writes every generated-types.ts; with `check`, writes nothing and lists the stale files instead. */
export async function generateTypes(options: { check: boolean; directory?: string }, io: CommandIO): Promise<number> {
  const { directory, definition } = loadDestination(options.directory)
  const files = await generatedTypeFiles(directory, definition)
  return syncGeneratedFiles(files, { check: options.check, command: 'generate:types', io })
}

export const generateTypesCommand: Command = {
  summary: 'write the generated-types.ts files (with --check, verify them and exit 1 if any is stale)',
  usage: USAGE,
  run: async (args, io) => {
    const { switches, options } = parseArgs(args, { switches: ['check'], options: ['path'] }, USAGE)
    return await generateTypes({ check: switches.has('check'), directory: destinationDir(options.get('path')) }, io)
  }
}
