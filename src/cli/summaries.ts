import type { CommandSummary } from './command'

type CommandKey =
  | 'generateTypes'
  | 'generateMetadata'
  | 'generateAction'
  | 'validate'
  | 'listRequiredFields'
  | 'serve'
  | 'send'
  | 'simulator'

/** Each subcommand's name and summary (commands/index.ts sets the order of `--help`). Loads nothing else. */
export const SUMMARIES: Record<CommandKey, CommandSummary> = {
  generateTypes: {
    name: 'generate:types',
    summary: 'write the generated-types.ts files (with --check, verify them and exit 1 if any is stale)'
  },
  generateMetadata: {
    name: 'generate:metadata',
    summary: 'write metadata.json in the monorepo format (with --check, verify it and exit 1 if it is stale)'
  },
  generateAction: {
    name: 'generate:action',
    summary: 'scaffold a server action with its tests, register it, and generate its types, metadata and snapshot'
  },
  validate: {
    name: 'validate',
    summary: "check the destination against the monorepo's rules and the live destination's contract"
  },
  listRequiredFields: {
    name: 'list-required-fields',
    summary: "list the required settings and each action's required fields (with --json, as the monorepo's command)"
  },
  serve: {
    name: 'serve',
    summary: "run the destination behind a local server with Segment's serve routes and a mapping playground page"
  },
  send: {
    name: 'send',
    summary:
      'send Segment events (JSON lines or a JSON array) through the destination to Appcues, or to a simulator without credentials'
  },
  simulator: {
    name: 'simulator',
    summary: 'run a local Appcues simulator (auth, contract checks, rate limit, faults, inspectable state)'
  }
}
