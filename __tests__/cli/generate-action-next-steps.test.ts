import { nextSteps } from '../../src/cli/generate/action/next-steps'
import { FIRST_STAGE_ACTIONS, STAGES } from '../../test/stages'

const name = { key: 'markCheckpoint', title: 'Mark Checkpoint' }

/** The steps as one line of words, whatever the wrapping. */
const words = (lines: string[]) => lines.join(' ').replace(/\s+/g, ' ')

describe('generate:action next steps', () => {
  it('say how to land the action in an earlier pull request with the lists test/stages.ts has', () => {
    const text = words(nextSteps(name, 'src/destinations/appcues/markCheckpoint', 'type = "track"'))
    expect(FIRST_STAGE_ACTIONS.length).toBeGreaterThan(0)
    expect(STAGES[0]).toHaveProperty('laterActions')
    expect(text).toContain('in FIRST_STAGE_ACTIONS for the first pull request')
    expect(text).toContain('in the `laterActions` (the actions of later pull requests) of every stage before the one')
    expect(text).not.toContain("that pull request's actions in test/stages.ts")
  })
})
