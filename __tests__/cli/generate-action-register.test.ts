import { registerAction, RegistrationError } from '../../src/cli/generate/action/register'

describe("generate:action's edit of index.ts", () => {
  it('adds the import after the last import and the key after the last action, keeping a trailing comma', () => {
    const text = [
      "import a from './a'",
      "import { helper } from './functions'",
      '',
      'const destination = {',
      "  name: 'X',",
      '  actions: {',
      '    a,',
      '  },',
      '}',
      '',
      'export default destination',
      ''
    ].join('\n')
    expect(registerAction(text, 'newOne')).toBe(
      [
        "import a from './a'",
        "import { helper } from './functions'",
        "import newOne from './newOne'",
        '',
        'const destination = {',
        "  name: 'X',",
        '  actions: {',
        '    a,',
        '    newOne',
        '  }',
        '}',
        '',
        'export default destination',
        ''
      ].join('\n')
    )
  })

  it.each([
    ['an empty actions object', 'const d = { actions: {} }\nexport default d\n'],
    ['an object literal exported directly', "export default { name: 'X', actions: {} }\n"],
    ['a definition with a type assertion', 'const d = { actions: {} } as Definition\nexport default d\n']
  ])('finds the actions in %s', (_, text) => {
    const result = registerAction(text, 'newOne')
    expect(result.startsWith("import newOne from './newOne'\n")).toBe(true)
    expect(result).toContain('actions: { newOne }')
  })

  it.each([
    ['no default export', 'const d = { actions: {} }\n', 'has no default export of an object literal'],
    ['no actions object', 'const d = { name: "X" }\nexport default d\n', 'has no `actions: { ... }` object literal'],
    ['actions built elsewhere', 'const d = { actions: build() }\nexport default d\n', 'has no `actions: { ... }`']
  ])('explains what is missing when index.ts has %s', (_, text, message) => {
    expect(() => registerAction(text, 'newOne')).toThrow(RegistrationError)
    expect(() => registerAction(text, 'newOne')).toThrow(message)
  })
})
