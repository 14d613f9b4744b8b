import type { Command } from '../command'
import { subcommandProgram } from '../command'
import { parseCommandLine } from '../args'
import { destinationDir, loadDestination } from '../load-destination'
import { withPathOption } from './destination-options'
import { SUMMARIES } from '../summaries'

const EXAMPLE = `
Examples:
  $ npx appcues-actions list-required-fields
  $ npx appcues-actions list-required-fields --json   # {"Appcues (Actions)": {"settings": [...], "<action>": [...]}}`

export const listRequiredFieldsCommand: Command = {
  run: async (args, io) => {
    const program = withPathOption(
      subcommandProgram(SUMMARIES.listRequiredFields, io)
        .option(
          '--json',
          "print the monorepo's format: required settings and fields by action, keyed by destination name"
        )
        .addHelpText('after', EXAMPLE)
    )
    const parsed = parseCommandLine(program, args)
    if (parsed === 'help') return 0
    const [{ displayPath }, { requiredFieldsReport, requiredFieldsText }] = await Promise.all([
      import('../generate/generated-file'),
      import('../required-fields')
    ])
    const { directory, definition } = loadDestination(destinationDir(parsed.options.get('path')))
    if (parsed.switches.has('json')) io.stdout(JSON.stringify(requiredFieldsReport(definition), null, 2))
    else for (const line of requiredFieldsText(definition, displayPath(directory))) io.stdout(line)
    return 0
  }
}
