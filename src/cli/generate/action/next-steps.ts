import path from 'path'
import type { ActionName } from './name'
import { PLACEHOLDER_REQUEST } from './templates'

/** `text` in lines of at most `width` characters, the first starting with `first`, the others indented as deep. */
function wrapped(text: string, first: string, width = 110): string[] {
  const lines: string[] = []
  let line = first
  for (const word of text.split(' ')) {
    if (line.trim() !== first.trim() && line.length + 1 + word.length > width) {
      lines.push(line)
      line = ' '.repeat(first.length) + word
    } else {
      line = line.endsWith(' ') ? line + word : `${line} ${word}`
    }
  }
  return [...lines, line]
}

export function nextSteps(name: ActionName, folder: string, subscription: string | undefined): string[] {
  const indexFile = path.join(folder, 'index.ts')
  const presets =
    subscription === undefined
      ? 'Presets: the action has no default subscription and should get no automatic preset, because it deletes data: users choose the event that triggers it.'
      : `Presets: the action runs by default on \`${subscription}\`. If Segment should map it when the destination is connected, add an automatic preset to presets.ts (mapping: defaultValues(action.fields), a subscribe query with \`userId != null\`), then run generate:metadata and validate.`
  const steps = [
    `Fields: in ${indexFile}, replace the placeholder fields (User ID, Attributes, Timestamp) and the description with what the action needs. Labels and descriptions are what users see: full sentences that say the default. Then run \`npx appcues-actions generate:types && npx appcues-actions generate:metadata\`.`,
    `perform: it sends a placeholder request, ${PLACEHOLDER_REQUEST} (an event named "${
      name.title
    }"). Replace it with the Appcues call this action makes, built with apiUrl, appcuesRequest and encodeId from functions.ts; make ${path.join(
      folder,
      '__tests__',
      'index.test.ts'
    )} expect that request, and record the snapshot again with \`npm run test:unit -- -u ${folder}\`.`,
    presets,
    `Docs: add "${name.title}" to docs/appcues-actions.md (what Appcues receives, the fields and their defaults) and to the README's table of actions. The drop-in check places an action that test/stages.ts does not name in the last upstream pull request. To land it in an earlier one, name it in test/stages.ts: in FIRST_STAGE_ACTIONS for the first pull request, else in the \`laterActions\` (the actions of later pull requests) of every stage before the one it lands in; and list it with that pull request in docs/upstream.md.`
  ]
  return ['Next steps:', ...steps.flatMap((step, index) => wrapped(step, `  ${index + 1}. `))]
}
