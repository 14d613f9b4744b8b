import Ajv from 'ajv'
import type { ErrorObject, ValidateFunction } from 'ajv'
import type { RouteName } from './routes'
import { BODY_SCHEMAS } from './schemas'

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true })
ajv.addFormat('date-time', { validate: (value: string) => ISO_DATE_TIME.test(value) && !isNaN(Date.parse(value)) })

const validators = new Map<RouteName, ValidateFunction>()

function validatorFor(route: RouteName): ValidateFunction | undefined {
  const schema = BODY_SCHEMAS[route]
  if (!schema) return undefined
  let validate = validators.get(route)
  if (!validate) {
    validate = ajv.compile(schema)
    validators.set(route, validate)
  }
  return validate
}

function where(error: ErrorObject): string {
  return error.instancePath ? `"${error.instancePath.slice(1).replace(/\//g, '.')}"` : 'the body'
}

function describe(error: ErrorObject): string | undefined {
  // Errors inside anyOf branches and propertyNames are summed up by the anyOf or propertyNames error itself.
  if (/\/(anyOf|propertyNames)\//.test(error.schemaPath)) return undefined
  const params = error.params as Record<string, unknown>
  switch (error.keyword) {
    case 'required':
      return `${where(error)} is missing the required field "${String(params.missingProperty)}"`
    case 'additionalProperties':
      return `${where(error)} has the unknown field "${String(params.additionalProperty)}"`
    case 'propertyNames':
      return `${where(error)} has an empty attribute name`
    case 'anyOf':
      if (error.instancePath === '/timestamp') {
        return `${where(error)} must be an ISO-8601 date-time such as 2024-05-01T12:00:00.000Z, or epoch seconds`
      }
      return `${where(error)} does not have an accepted type`
    case 'if':
      return undefined // the failed "then" says more
    case 'type':
      return `${where(error)} must be ${params.type === 'object' ? 'a JSON object' : `of type ${String(params.type)}`}`
    case 'format':
      return `${where(error)} must be an ISO-8601 date-time such as 2024-05-01T12:00:00.000Z`
    default:
      return `${where(error)} ${error.message ?? 'is invalid'}`
  }
}

/** Checks a parsed body against the route's contract; returns a readable list of the problems, or undefined. */
export function validateBody(route: RouteName, body: unknown): string | undefined {
  const validate = validatorFor(route)
  if (!validate || validate(body)) return undefined
  const problems = [...new Set((validate.errors ?? []).map(describe).filter((text): text is string => !!text))]
  return problems.length > 0 ? problems.slice(0, 5).join('; ') : 'the body does not match the Appcues contract'
}
