import type { Command as Program } from 'commander'

/** `--path DIR`, which every command that reads the destination folder accepts. */
export function withPathOption(program: Program): Program {
  return program.option(
    '--path <DIR>',
    'the destination folder to work on, relative to the working directory (default: src/destinations/appcues)'
  )
}
