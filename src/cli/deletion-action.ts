/**
 * Whether an action erases or deletes data, judged by its key or title. Such an action subscribes to nothing by
 * default: it runs only on the event a user chooses for it (validate checks this, and generate:action writes it so).
 */
export function isDeletionAction(key: string, action: { title?: unknown }): boolean {
  return /delet|erase|erasure/i.test(`${key} ${String(action.title ?? '')}`)
}
