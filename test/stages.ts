import fs from 'fs'
import path from 'path'
import ts from 'typescript'
import { format } from 'prettier'
import { prettierConfig } from '../src/cli/prettier-config'

/**
 * The pull requests the folder lands upstream in (docs/upstream.md). Each stage's folder is derived from the final
 * folder: the later stages' action folders go, and so do their imports, action keys, presets, settings and definition
 * properties (a definition without `audienceConfig` is a plain `DestinationDefinition`), then every import and
 * top-level declaration nothing uses any more. An action folder the plan does not name (a new one, such as
 * `generate:action` writes) lands in the last stage.
 */
export interface Stage {
  name: string
  /** Action folders (and action keys) of later stages. */
  laterActions: string[]
  /** Setting keys of later stages. */
  laterSettings: string[]
  /** Definition properties of later stages, such as onDelete, audienceFields and audienceConfig. */
  laterProperties: string[]
}

/** The actions of the first pull request; the stages below name the later ones. */
export const FIRST_STAGE_ACTIONS = ['identifyUser', 'trackEvent', 'pageView', 'identifyGroup', 'send']

const AUDIENCE_PROPERTIES = ['audienceFields', 'audienceConfig']

export const STAGES: Stage[] = [
  {
    name: 'PR 1: core actions',
    laterActions: ['deleteUser', 'syncAudience'],
    laterSettings: ['legacyApiKey'],
    laterProperties: ['onDelete', ...AUDIENCE_PROPERTIES]
  },
  {
    name: 'PR 2: deletion',
    laterActions: ['syncAudience'],
    laterSettings: [],
    laterProperties: AUDIENCE_PROPERTIES
  },
  { name: 'PR 3: audiences (the final folder)', laterActions: [], laterSettings: [], laterProperties: [] }
]

interface Cut {
  start: number
  end: number
  /** What replaces the range; nothing by default. */
  text?: string
}

function parse(file: string, text: string): ts.SourceFile {
  return ts.createSourceFile(file, text, ts.ScriptTarget.ES2020, true, ts.ScriptKind.TS)
}

/** Removes (or replaces) the ranges of the text (ranges do not overlap). */
function applyCuts(text: string, cuts: Cut[]): string {
  return [...cuts]
    .sort((a, b) => b.start - a.start)
    .reduce((result, cut) => result.slice(0, cut.start) + (cut.text ?? '') + result.slice(cut.end), text)
}

/** The range of one element of a comma-separated list, with the comma that separates it from a neighbour. */
function elementCut(text: string, elements: ts.NodeArray<ts.Node>, index: number): Cut {
  const element = elements[index]
  const after = text.slice(element.getEnd()).match(/^\s*,/)
  if (after) return { start: element.getFullStart(), end: element.getEnd() + after[0].length }
  const previous = elements[index - 1]
  return { start: previous ? previous.getEnd() : element.getFullStart(), end: element.getEnd() }
}

function nameOf(node: ts.Node): string | undefined {
  const name = (node as { name?: ts.Node }).name
  return name && (ts.isIdentifier(name) || ts.isStringLiteral(name)) ? name.text : undefined
}

/** The value of a property `name: 'text'` of an object literal, if it has one. */
function stringProperty(node: ts.ObjectLiteralExpression, name: string): string | undefined {
  const property = node.properties.find((candidate) => nameOf(candidate) === name)
  return property && ts.isPropertyAssignment(property) && ts.isStringLiteral(property.initializer)
    ? property.initializer.text
    : undefined
}

/**
 * A file of the folder's root without the later stages' imports, presets (array elements whose `partnerAction` is
 * a later action), action keys, settings and properties; without `audienceConfig`, the definition's type becomes
 * `DestinationDefinition<Settings>`.
 */
function withoutLaterParts(file: string, text: string, stage: Stage): string {
  const source = parse(file, text)
  const cuts: Cut[] = []
  const dropped = new Set([...stage.laterActions, ...stage.laterSettings, ...stage.laterProperties])
  const plain = stage.laterProperties.includes('audienceConfig')
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue
    const module = statement.moduleSpecifier.text
    if (stage.laterActions.some((action) => module === `./${action}` || module.startsWith(`./${action}/`))) {
      cuts.push({ start: statement.getFullStart(), end: statement.getEnd() })
    }
  }
  const visit = (node: ts.Node) => {
    if (plain && ts.isIdentifier(node) && node.text === 'AudienceDestinationDefinition') {
      const reference = node.parent
      const end = ts.isTypeReferenceNode(reference) ? reference.getEnd() : node.getEnd()
      const typeArgument = ts.isTypeReferenceNode(reference) ? reference.typeArguments?.[0]?.getText() : undefined
      const replacement = typeArgument ? `DestinationDefinition<${typeArgument}>` : 'DestinationDefinition'
      cuts.push({ start: node.getStart(), end, text: replacement })
      return
    }
    if (ts.isArrayLiteralExpression(node)) {
      node.elements.forEach((element, index) => {
        const action = ts.isObjectLiteralExpression(element) ? stringProperty(element, 'partnerAction') : undefined
        if (action !== undefined && stage.laterActions.includes(action))
          cuts.push(elementCut(text, node.elements, index))
        else visit(element)
      })
      return
    }
    if (ts.isObjectLiteralExpression(node)) {
      node.properties.forEach((property, index) => {
        const name = nameOf(property)
        if (name !== undefined && dropped.has(name)) cuts.push(elementCut(text, node.properties, index))
        else visit(property)
      })
      return
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return applyCuts(text, cuts)
}

function identifiers(node: ts.Node, into: Map<string, number>): void {
  if (ts.isIdentifier(node)) into.set(node.text, (into.get(node.text) ?? 0) + 1)
  ts.forEachChild(node, (child) => identifiers(child, into))
}

/** The names a top-level statement declares, when it is one that can go unused. */
function declaredNames(statement: ts.Statement): string[] {
  if (ts.isVariableStatement(statement)) {
    return statement.declarationList.declarations.flatMap((declaration) =>
      ts.isIdentifier(declaration.name) ? [declaration.name.text] : []
    )
  }
  const declares =
    ts.isFunctionDeclaration(statement) ||
    ts.isClassDeclaration(statement) ||
    ts.isInterfaceDeclaration(statement) ||
    ts.isTypeAliasDeclaration(statement)
  const name = declares ? nameOf(statement) : undefined
  return name === undefined ? [] : [name]
}

function listTs(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return listTs(full)
    return entry.name.endsWith('.ts') ? [full] : []
  })
}

/**
 * One pass over the folder's sources (not its tests or generated files): drops imports nothing in their file uses,
 * and top-level declarations that no file of the folder names. Returns whether anything changed.
 */
function pruneOnce(dir: string): boolean {
  const files = listTs(dir)
  const counts = new Map<string, number>()
  for (const file of files) identifiers(parse(file, fs.readFileSync(file, 'utf8')), counts)
  const sources = files.filter((file) => !file.includes(`${path.sep}__tests__${path.sep}`))
  let changed = false
  for (const file of sources.filter((candidate) => path.basename(candidate) !== 'generated-types.ts')) {
    const text = fs.readFileSync(file, 'utf8')
    const source = parse(file, text)
    const local = new Map<string, number>()
    identifiers(source, local)
    const cuts: Cut[] = []
    for (const statement of source.statements) {
      if (ts.isImportDeclaration(statement)) {
        const bindings = statement.importClause?.namedBindings
        if (!bindings || !ts.isNamedImports(bindings) || statement.importClause?.name) continue
        const unused = bindings.elements.filter((element) => (local.get(element.name.text) ?? 0) <= 1)
        if (unused.length === bindings.elements.length) {
          cuts.push({ start: statement.getFullStart(), end: statement.getEnd() })
        } else {
          for (const element of unused)
            cuts.push(elementCut(text, bindings.elements, bindings.elements.indexOf(element)))
        }
        continue
      }
      const names = declaredNames(statement)
      if (names.length > 0 && names.every((name) => (counts.get(name) ?? 0) <= 1)) {
        cuts.push({ start: statement.getFullStart(), end: statement.getEnd() })
      }
    }
    if (cuts.length > 0) {
      fs.writeFileSync(file, applyCuts(text, cuts))
      changed = true
    }
  }
  return changed
}

/** The action folders of `dir` (those with an index.ts) that no stage names. */
function unplannedActions(dir: string): string[] {
  const planned = new Set([...FIRST_STAGE_ACTIONS, ...STAGES.flatMap((stage) => stage.laterActions)])
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(dir, entry.name, 'index.ts')))
    .map((entry) => entry.name)
    .filter((name) => !planned.has(name))
}

/** Turns `dir`, a copy of the final folder, into the folder of `given`. */
export function deriveStage(dir: string, given: Stage): void {
  const isLast = given === STAGES[STAGES.length - 1]
  const stage = isLast ? given : { ...given, laterActions: [...given.laterActions, ...unplannedActions(dir)] }
  for (const action of stage.laterActions) fs.rmSync(path.join(dir, action), { recursive: true, force: true })
  for (const file of ['index.ts', 'presets.ts']) {
    const full = path.join(dir, file)
    if (fs.existsSync(full)) fs.writeFileSync(full, withoutLaterParts(file, fs.readFileSync(full, 'utf8'), stage))
  }
  while (pruneOnce(dir)) {
    // Each pass can leave more unused.
  }
  for (const file of listTs(dir)) {
    const text = fs.readFileSync(file, 'utf8')
    fs.writeFileSync(file, format(text, { ...prettierConfig(), parser: 'typescript' }))
  }
}
