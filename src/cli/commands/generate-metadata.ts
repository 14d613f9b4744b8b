import type { Command, CommandIO } from '../command'
import { subcommandProgram } from '../command'
import { parseCommandLine } from '../args'
import { destinationDir, loadDestination } from '../load-destination'
import { withPathOption } from './destination-options'
import { SUMMARIES } from '../summaries'

/** Writes metadata.json in the monorepo's format; with `check`, writes nothing and exits 1 when it is stale. */
export async function generateMetadata(
  options: { check: boolean; directory?: string },
  io: CommandIO
): Promise<number> {
  const [{ metadataFile }, { syncGeneratedFiles }] = await Promise.all([
    import('../generate/metadata'),
    import('../generate/generated-file')
  ])
  const { directory, definition } = loadDestination(options.directory)
  return syncGeneratedFiles([metadataFile(directory, definition)], {
    check: options.check,
    command: 'generate:metadata',
    io
  })
}

export const generateMetadataCommand: Command = {
  run: async (args, io) => {
    const program = withPathOption(
      subcommandProgram(SUMMARIES.generateMetadata, io).option(
        '--check',
        'write nothing; exit 1 when metadata.json differs from a fresh generation'
      )
    )
    const parsed = parseCommandLine(program, args)
    if (parsed === 'help') return 0
    const directory = destinationDir(parsed.options.get('path'))
    return await generateMetadata({ check: parsed.switches.has('check'), directory }, io)
  }
}
