import type { JSONObject } from '@segment/actions-core'
import type { AnyDestination } from '../../load-destination'
import type { SimulatorTarget } from '../appcues-target'
import { HttpError } from '../http'
import { isSecretSetting } from '../secrets'

/** Settings that the simulator's own credentials fill in when the form leaves them empty. */
const SIMULATOR_FILLED = ['accountId', 'apiKey', 'apiSecret', 'legacyApiKey'] as const

/** One setting as the page's form shows it. A password setting never carries a value to the page. */
export interface PlaygroundSettingView {
  key: string
  label: string
  description: string
  type: string
  required: boolean
  secret: boolean
  choices?: Array<{ label: string; value: string | number }>
  /** The value the form starts with (never set for a secret setting). */
  value?: string | number | boolean
  /** Shown in the empty input: for a secret setting, what happens when it is left empty. */
  placeholder?: string
}

/** The settings form: every setting with its label and description; the simulator is the default target. */
export function settingsView(definition: AnyDestination, simulator?: SimulatorTarget): PlaygroundSettingView[] {
  const fields = definition.authentication?.fields ?? {}
  return Object.entries(fields).map(([key, setting]) => {
    const secret = isSecretSetting(definition, key)
    const fromSimulator = simulator && (SIMULATOR_FILLED as readonly string[]).includes(key)
    let value: PlaygroundSettingView['value']
    if (!secret) {
      if (simulator && key === 'accountId') value = simulator.credentials.accountId
      else if (typeof setting.default === 'string' || typeof setting.default === 'number') value = setting.default
      else if (typeof setting.default === 'boolean') value = setting.default
    }
    return {
      key,
      label: setting.label,
      description: setting.description,
      type: setting.type,
      required: setting.required === true,
      secret,
      ...(setting.choices
        ? {
            choices: setting.choices.map((choice) =>
              typeof choice === 'string'
                ? { label: choice, value: choice }
                : { label: choice.label, value: choice.value }
            )
          }
        : {}),
      ...(value !== undefined ? { value } : {}),
      ...(secret && fromSimulator ? { placeholder: 'Empty: the simulator’s credential is used.' } : {})
    }
  })
}

/** Where a run's requests go. */
export interface RunTarget {
  kind: 'simulator' | 'appcues'
  /** The simulator's address, or the Appcues region. */
  where: string
}

/**
 * The settings of one run: the form's values without empty ones, plus, while Appcues' hosts are routed to a
 * simulator, the simulator's credentials for every credential left empty.
 */
export function settingsForRun(
  given: unknown,
  simulator?: SimulatorTarget
): { settings: JSONObject; target: RunTarget } {
  if (given !== undefined && (typeof given !== 'object' || given === null || Array.isArray(given))) {
    throw new HttpError(400, '"settings" must be a JSON object of destination settings.')
  }
  const settings: JSONObject = {}
  for (const [key, value] of Object.entries((given ?? {}) as JSONObject)) {
    if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) continue
    settings[key] = value
  }
  if (simulator) {
    for (const key of SIMULATOR_FILLED) {
      if (settings[key] === undefined) settings[key] = simulator.credentials[key]
    }
    return { settings, target: { kind: 'simulator', where: simulator.url } }
  }
  const region = typeof settings.region === 'string' ? settings.region : 'the selected region'
  return { settings, target: { kind: 'appcues', where: `Appcues ${region}` } }
}
