/** One figure of `npm run bench`: measured side by side in one run, printed as a table, stored in results.json. */
export interface Figure<T> {
  /** The name on the command line (`npm run bench -- KEY`) and in results.json. */
  key: string
  title: string
  measure(): Promise<T>
  /** A Markdown table of the result. */
  table(data: T): string
  /** How the figure was measured and how to read it. */
  notes(data: T): string[]
}
