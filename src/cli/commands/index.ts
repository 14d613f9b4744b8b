import type { Command } from '../command'
import { generateTypesCommand } from './generate-types'
import { generateMetadataCommand } from './generate-metadata'
import { validateCommand } from './validate'
import { serveCommand } from './serve'
import { sendCommand } from './send'
import { simulatorCommand } from './simulator'

/** Every subcommand of `appcues-actions`, by name. Add one line per command. */
export const commands: Record<string, Command> = {
  'generate:types': generateTypesCommand,
  'generate:metadata': generateMetadataCommand,
  validate: validateCommand,
  serve: serveCommand,
  send: sendCommand,
  simulator: simulatorCommand
}
