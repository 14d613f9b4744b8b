import prettier from 'prettier'
import ts from 'typescript'
import { prettierConfig } from '../../prettier-config'

export class RegistrationError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RegistrationError'
  }
}

/** An expression without the parentheses, `as`, `satisfies` and `!` around it. */
function unwrapped(expression: ts.Expression): ts.Expression {
  if (
    ts.isParenthesizedExpression(expression) ||
    ts.isAsExpression(expression) ||
    ts.isSatisfiesExpression(expression) ||
    ts.isNonNullExpression(expression) ||
    ts.isTypeAssertionExpression(expression)
  ) {
    return unwrapped(expression.expression)
  }
  return expression
}

function propertyName(property: ts.ObjectLiteralElementLike): string | undefined {
  const name = property.name
  return name && (ts.isIdentifier(name) || ts.isStringLiteral(name)) ? name.text : undefined
}

/** The object literal of the default export: `export default {...}` or `export default destination` of a const. */
function definitionObject(source: ts.SourceFile): ts.ObjectLiteralExpression | undefined {
  const exported = source.statements.find(ts.isExportAssignment)
  if (!exported || exported.isExportEquals) return undefined
  const value = unwrapped(exported.expression)
  if (ts.isObjectLiteralExpression(value)) return value
  if (!ts.isIdentifier(value)) return undefined
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name) || declaration.name.text !== value.text || !declaration.initializer)
        continue
      const initializer = unwrapped(declaration.initializer)
      return ts.isObjectLiteralExpression(initializer) ? initializer : undefined
    }
  }
  return undefined
}

export interface DefinitionSource {
  source: ts.SourceFile
  /** The `actions` object of the exported definition. */
  actions: ts.ObjectLiteralExpression
}

/** Parses index.ts and finds the `actions` object of its default export; explains what is missing otherwise. */
export function parseDefinition(text: string, file = 'index.ts'): DefinitionSource {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2020, true, ts.ScriptKind.TS)
  const definition = definitionObject(source)
  if (!definition) {
    throw new RegistrationError(
      `${file} has no default export of an object literal, so the new action cannot be added to it. Export the definition as \`export default destination\` with \`const destination = { ... }\`.`
    )
  }
  const property = definition.properties.find((candidate) => propertyName(candidate) === 'actions')
  const actions =
    property && ts.isPropertyAssignment(property) ? unwrapped(property.initializer) : (undefined as ts.Node | undefined)
  if (!actions || !ts.isObjectLiteralExpression(actions)) {
    throw new RegistrationError(
      `The definition in ${file} has no \`actions: { ... }\` object literal to add the new action to. Write the actions as an object literal of the definition.`
    )
  }
  return { source, actions }
}

/** The keys of the definition's `actions` object as written in index.ts. */
export function registeredActionKeys({ actions }: DefinitionSource): string[] {
  return actions.properties.map(propertyName).filter((name): name is string => name !== undefined)
}

/** Every identifier index.ts uses: imports, declarations, property names and references. */
export function identifiersOf({ source }: DefinitionSource): Set<string> {
  const names = new Set<string>()
  const visit = (node: ts.Node) => {
    if (ts.isIdentifier(node)) names.add(node.text)
    ts.forEachChild(node, visit)
  }
  visit(source)
  return names
}

interface Insertion {
  at: number
  text: string
}

/**
 * index.ts with `import key from './key'` after its last import and `key` as the last entry of `actions`, both
 * spliced in at the positions the syntax tree gives, then formatted with prettier (the monorepo's settings), so that
 * the rest of the file keeps its layout.
 */
export function registerAction(text: string, key: string, file = 'index.ts'): string {
  const parsed = parseDefinition(text, file)
  const { source, actions } = parsed
  const imports = source.statements.filter(ts.isImportDeclaration)
  const lastImport = imports[imports.length - 1]
  const importLine = `import ${key} from './${key}'`
  const insertions: Insertion[] = [
    lastImport ? { at: lastImport.getEnd(), text: `\n${importLine}` } : { at: 0, text: `${importLine}\n` }
  ]
  const entries = actions.properties
  if (entries.length === 0) {
    insertions.push({ at: actions.getEnd() - 1, text: key })
  } else {
    const last = entries[entries.length - 1]
    // Before a trailing comma, if there is one: the comma then follows the new entry.
    insertions.push({ at: last.getEnd(), text: `,\n${key}` })
  }
  const edited = insertions
    .sort((a, b) => b.at - a.at)
    .reduce((result, { at, text: added }) => result.slice(0, at) + added + result.slice(at), text)
  return prettier.format(edited, { ...prettierConfig(), parser: 'typescript' })
}
