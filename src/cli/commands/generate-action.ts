import type { Command } from '../command'
import { subcommandProgram } from '../command'
import { parseCommandLine } from '../args'
import { destinationDir } from '../load-destination'
import { withPathOption } from './destination-options'
import { SUMMARIES } from '../summaries'

const EXAMPLE = `
Example:
  $ npx appcues-actions generate:action markCheckpoint server --title "Mark Checkpoint"

  writes src/destinations/appcues/markCheckpoint/ (index.ts, generated-types.ts, __tests__/index.test.ts,
  __tests__/snapshot.test.ts and its snapshot), adds markCheckpoint to the actions in index.ts, updates
  metadata.json, and prints the next steps: fields, perform, presets, docs.`

export const generateActionCommand: Command = {
  run: async (args, io) => {
    const program = withPathOption(
      subcommandProgram(SUMMARIES.generateAction, io)
        .argument('<name>', 'the action name, camel-cased into its key: "mark checkpoint" becomes markCheckpoint')
        .argument('<type>', 'server (the only type: this is a cloud destination)')
        .option('--title <T>', 'the title users see in the mapping UI (default: the words of the name)')
        .addHelpText('after', EXAMPLE)
    )
    const parsed = parseCommandLine(program, args)
    if (parsed === 'help') return 0
    const [name, type] = parsed.positionals
    const { generateAction } = await import('../generate/action')
    return await generateAction(
      { name, type, title: parsed.options.get('title'), directory: destinationDir(parsed.options.get('path')) },
      io
    )
  }
}
