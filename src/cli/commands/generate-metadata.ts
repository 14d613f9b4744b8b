import type { Command, CommandIO } from '../command'
import { parseArgs } from '../args'
import { syncGeneratedFiles } from '../generate/generated-file'
import { metadataFile } from '../generate/metadata'
import { destinationDir, loadDestination } from '../load-destination'

const USAGE = 'generate:metadata [--check] [--path DIR]'

/** Writes metadata.json in the monorepo's format; with `check`, writes nothing and exits 1 when it is stale. */
export function generateMetadata(options: { check: boolean; directory?: string }, io: CommandIO): number {
  const { directory, definition } = loadDestination(options.directory)
  return syncGeneratedFiles([metadataFile(directory, definition)], {
    check: options.check,
    command: 'generate:metadata',
    io
  })
}

export const generateMetadataCommand: Command = {
  summary: 'write metadata.json in the monorepo format (with --check, verify it and exit 1 if it is stale)',
  usage: USAGE,
  run: (args, io) =>
    Promise.resolve().then(() => {
      const { switches, options } = parseArgs(args, { switches: ['check'], options: ['path'] }, USAGE)
      return generateMetadata({ check: switches.has('check'), directory: destinationDir(options.get('path')) }, io)
    })
}
