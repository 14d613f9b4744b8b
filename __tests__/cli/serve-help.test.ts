import { serveCommand } from '../../src/cli/commands/serve'
import { DESTINATION_DIR, loadDestination } from '../../src/cli/load-destination'
import { apiRoutes } from '../../src/cli/serve/api-routes'
import { captureIO } from './__helpers__/destination-copy'

async function serveHelp(): Promise<string> {
  const { io, all } = captureIO()
  expect(await serveCommand.run(['--help'], io)).toBe(0)
  return all()
}

/** The routes the help lists, as `METHOD pattern` regular expressions (a `<placeholder>` stands for one segment). */
function listedRoutes(help: string): RegExp[] {
  return [...help.matchAll(/\b(GET|POST) +(\/\S*)/g)].map(([, method, path]) => {
    const pattern = path.replace(/,$/, '').replace(/<[A-Za-z]+>/g, '[^/]+')
    return new RegExp(`^${method} ${pattern}$`)
  })
}

describe('serve --help', () => {
  it('lists the audience, dynamic field and hook routes with the others', async () => {
    const help = await serveHelp()
    for (const route of [
      'GET  /manifest',
      'POST /authenticate',
      'POST /delete',
      'POST /createAudience',
      'POST /getAudience',
      'POST /<action>',
      'POST /<action>/<field>',
      'POST /<action>/hooks/<hook>',
      'POST /<action>/hooks/<hook>/dynamic/<input>',
      'GET  /'
    ])
      expect(help).toContain(route)
  })

  it('covers every route serve answers for the destination', async () => {
    const listed = listedRoutes(await serveHelp())
    const answered = apiRoutes(loadDestination().definition, DESTINATION_DIR).map(
      (route) => `${route.method} ${route.path}`
    )
    expect(answered).toEqual(
      expect.arrayContaining(['POST /createAudience', 'POST /syncAudience/hooks/retlOnMappingSave'])
    )
    expect(answered.filter((route) => !listed.some((pattern) => pattern.test(route)))).toEqual([])
  })
})
