import type { Loose } from './shape'

/** What every rule module receives: the loaded definition (as plain data) and where it lives. */
export interface ValidationContext {
  /** The destination folder. */
  directory: string
  definition: Loose
}
