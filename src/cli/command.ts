export interface CommandIO {
  stdout: (line: string) => void
  stderr: (line: string) => void
}

/** One subcommand of `appcues-actions`. `run` resolves to the process exit code. */
export interface Command {
  summary: string
  usage: string
  run(args: string[], io: CommandIO): Promise<number>
}
