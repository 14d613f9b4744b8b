import fs from 'fs'
import path from 'path'
import { listRequiredFieldsCommand } from '../../src/cli/commands/list-required-fields'
import { DESTINATION_DIR } from '../../src/cli/load-destination'
import type { AnyDestination } from '../../src/cli/load-destination'
import { requiredFieldsReport, requiredFieldsText } from '../../src/cli/required-fields'
import { captureIO } from './__helpers__/destination-copy'

interface Described {
  required: unknown
}

interface Metadata {
  name: string
  authentication: { fields: Record<string, Described> }
  actions: Record<string, { fields: Record<string, Described> }>
}

const metadata = JSON.parse(fs.readFileSync(path.join(DESTINATION_DIR, 'metadata.json'), 'utf8')) as Metadata

/** In metadata.json, `required` is true, false, or the condition object of a conditionally required field. */
const requiredIn = (fields: Record<string, Described>) =>
  Object.entries(fields)
    .filter(([, field]) => field.required !== false)
    .map(([key]) => key)

async function listed(args: string[]) {
  const output = captureIO()
  const code = await listRequiredFieldsCommand.run(args, output.io)
  return { code, out: output.out.join('\n'), err: output.err }
}

describe('list-required-fields', () => {
  it('--json lists every required setting and field of metadata.json, conditional ones included', async () => {
    const expected: Record<string, string[]> = { settings: requiredIn(metadata.authentication.fields) }
    for (const [key, action] of Object.entries(metadata.actions)) {
      const required = requiredIn(action.fields)
      if (required.length > 0) expected[key] = required
    }
    const { code, out, err } = await listed(['--json'])
    expect({ code, err }).toEqual({ code: 0, err: [] })
    expect(JSON.parse(out)).toEqual({ [metadata.name]: expected })
    // The live Send action's Event Name is required only for track calls.
    expect(metadata.actions.send.fields.event.required).toEqual(
      expect.objectContaining({ conditions: expect.any(Array) })
    )
    expect(expected.send).toContain('event')
  })

  it('prints every action with its required fields and their conditions for people', async () => {
    const { code, out } = await listed([])
    expect(code).toBe(0)
    const lines = out.split('\n')
    expect(lines[0]).toBe(`Required fields of "${metadata.name}" (src/destinations/appcues):`)
    expect(lines.slice(1).map((line) => line.trim().split(':')[0])).toEqual([
      'settings',
      ...Object.keys(metadata.actions)
    ])
    expect(out).toMatch(/^ {2}send: +type, event \(when type is track\)$/m)
  })

  it('leaves out of --json an action without required fields, as the monorepo does, and says "none" in text', () => {
    const definition = {
      name: 'Example',
      authentication: { scheme: 'custom', fields: { key: { label: 'Key', type: 'string', required: true } } },
      actions: {
        first: {
          title: 'First',
          description: 'First.',
          fields: {
            a: { label: 'A', description: 'A.', type: 'string', required: false },
            b: {
              label: 'B',
              description: 'B.',
              type: 'string',
              required: {
                match: 'any',
                conditions: [
                  { fieldKey: 'a', operator: 'is', value: 'x' },
                  { fieldKey: 'a', operator: 'is_not', value: ['y', 'z'] }
                ]
              }
            }
          },
          perform: () => undefined
        },
        second: { title: 'Second', description: 'Second.', fields: {}, perform: () => undefined }
      }
    } as unknown as AnyDestination
    expect(requiredFieldsReport(definition)).toEqual({ Example: { settings: ['key'], first: ['b'] } })
    expect(requiredFieldsText(definition, 'here')).toEqual([
      'Required fields of "Example" (here):',
      '  settings: key',
      '  first:    b (when a is x or a is not y or z)',
      '  second:   none'
    ])
  })

  it('suggests the option meant and shows examples with --help', async () => {
    await expect(listed(['--jsn'])).rejects.toThrow("Unknown option '--jsn' (did you mean --json?)")
    const help = await listed(['--help'])
    expect(help.out).toContain('$ npx appcues-actions list-required-fields --json')
  })
})
