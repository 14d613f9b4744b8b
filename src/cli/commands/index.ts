import type { Command, CommandSummary } from '../command'
import { SUMMARIES } from '../summaries'

export interface CommandEntry extends CommandSummary {
  /** Loads the command's own modules only when it runs, so that every command starts fast. */
  load(): Promise<Command>
}

/** Every subcommand of `appcues-actions`. Add one entry per command. */
export const COMMANDS: CommandEntry[] = [
  { ...SUMMARIES.generateTypes, load: async () => (await import('./generate-types')).generateTypesCommand },
  { ...SUMMARIES.generateMetadata, load: async () => (await import('./generate-metadata')).generateMetadataCommand },
  { ...SUMMARIES.generateAction, load: async () => (await import('./generate-action')).generateActionCommand },
  { ...SUMMARIES.validate, load: async () => (await import('./validate')).validateCommand },
  {
    ...SUMMARIES.listRequiredFields,
    load: async () => (await import('./list-required-fields')).listRequiredFieldsCommand
  },
  { ...SUMMARIES.serve, load: async () => (await import('./serve')).serveCommand },
  { ...SUMMARIES.send, load: async () => (await import('./send')).sendCommand },
  { ...SUMMARIES.simulator, load: async () => (await import('./simulator')).simulatorCommand }
]
