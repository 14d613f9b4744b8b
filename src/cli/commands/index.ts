import type { Command } from '../command'
import { generateTypesCommand } from './generate-types'

/** Every subcommand of `appcues-actions`, by name. Add one line per command. */
export const commands: Record<string, Command> = {
  'generate:types': generateTypesCommand
}
