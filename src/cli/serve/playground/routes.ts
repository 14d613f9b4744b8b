import fs from 'fs'
import path from 'path'
import type { IncomingMessage, ServerResponse } from 'http'
import { DEFAULT_BODY_LIMIT } from '../../../local-server/body-limit'
import { HttpError, readJsonObject, sendJson } from '../http'
import { Redactor } from '../secrets'
import type { ServeContext, ServeRoute } from '../server'
import { parseRunRequest, runPlayground } from './run'
import { connectAudience, parseAudienceRequest } from './audience'
import { settingsForRun, settingsView } from './settings'
import type { SimulatorTarget } from '../appcues-target'
import { playgroundSetup } from './setup'

/**
 * The page's files: plain HTML, CSS and JavaScript, read from the package's src/ at each request (no build step),
 * also when the CLI runs compiled from dist/ (which sits at the same depth as src/).
 */
const ASSETS_DIR = path.resolve(__dirname, '..', '..', '..', '..', 'src', 'cli', 'serve', 'playground', 'assets')

const ASSETS: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/playground/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/playground/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' }
}

/** The page may load only its own files and call only this server. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'"
].join('; ')

const PAGE_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store'
}

export interface PlaygroundOptions {
  /** The simulator Appcues' hosts are routed to; without one, runs go to Appcues with the settings entered. */
  simulator?: SimulatorTarget
  /** Largest accepted request body in bytes (default 1 MB, like serve's routes). */
  bodyLimit?: number
}

export interface Playground {
  /** The page at `GET /`, its files under `/playground/`, and its JSON routes; pass them to `serve({ routes })`. */
  routes: ServeRoute[]
}

function serveAsset(pathname: string, response: ServerResponse): Promise<void> {
  const asset = ASSETS[pathname]
  return fs.promises.readFile(path.join(ASSETS_DIR, asset.file)).then(
    (content) => {
      response.writeHead(200, { ...PAGE_HEADERS, 'content-type': asset.type, 'content-length': content.length })
      response.end(content)
    },
    () => {
      sendJson(response, 500, {
        error: `The playground's ${asset.file} is missing from the installed package. Reinstall it (npm ci).`
      })
    }
  )
}

function requireJson(request: IncomingMessage): void {
  const type = request.headers['content-type'] ?? ''
  if (!/^application\/json\b/i.test(type)) {
    throw new HttpError(415, 'Send the request body as JSON, with the header content-type: application/json.')
  }
}

/** A JSON route that never lets an error escape unscrubbed: it answers the failure itself. */
function jsonRoute(
  method: 'GET' | 'POST',
  routePath: string,
  answer: (
    request: IncomingMessage,
    context: ServeContext,
    redactor: Redactor
  ) => Promise<{ status: number; body: unknown }>
): ServeRoute {
  return {
    method,
    path: routePath,
    handle: async (request, response, context) => {
      const redactor = new Redactor()
      try {
        const { status, body } = await answer(request, context, redactor)
        sendJson(response, status, redactor.scrub(body))
      } catch (error) {
        const status = error instanceof HttpError ? error.status : 500
        const message =
          error instanceof HttpError
            ? error.message
            : `The playground failed: ${(error as Error).message}. See the serve output.`
        const headers = error instanceof HttpError ? error.headers : {}
        if (!response.headersSent) sendJson(response, status, { error: redactor.scrubText(message) }, headers)
        else response.end()
      }
    }
  }
}

/** The mapping playground: a page at `/` for trying a mapping on a sample event and reading what Appcues receives. */
export function createPlayground(options: PlaygroundOptions = {}): Playground {
  const { simulator } = options
  const limit = options.bodyLimit ?? DEFAULT_BODY_LIMIT

  const assetRoutes: ServeRoute[] = Object.keys(ASSETS).map((pathname) => ({
    method: 'GET',
    path: pathname,
    handle: (_request, response) => serveAsset(pathname, response)
  }))

  const setup = jsonRoute('GET', '/playground/setup', (_request, context) => {
    const view = playgroundSetup(
      context.definition,
      settingsView(context.definition, simulator),
      simulator && {
        url: simulator.url,
        accountId: simulator.credentials.accountId,
        holdings: Boolean(simulator.state)
      }
    )
    return Promise.resolve({ status: 200, body: view })
  })

  /** The JSON body of a run, whose settings (as given, and as filled in) the redactor learns before anything runs. */
  const settingsBody = async (request: IncomingMessage, context: ServeContext, redactor: Redactor) => {
    requireJson(request)
    const body = await readJsonObject(request, limit)
    const given = typeof body.settings === 'object' && body.settings !== null ? body.settings : {}
    redactor.addSettings(context.definition, given)
    redactor.addSettings(context.definition, settingsForRun(body.settings, simulator).settings)
    return body
  }

  const run = jsonRoute('POST', '/playground/run', async (request, context, redactor) => {
    const body = await settingsBody(request, context, redactor)
    const result = await runPlayground(context.definition, parseRunRequest(body, context.definition), simulator)
    return { status: 200, body: result }
  })

  const audience = jsonRoute('POST', '/playground/audience', async (request, context, redactor) => {
    const body = await settingsBody(request, context, redactor)
    const result = await connectAudience(context.definition, parseAudienceRequest(body, context.definition), simulator)
    return { status: 200, body: result }
  })

  const reset = jsonRoute('POST', '/playground/reset', async (request) => {
    requireJson(request)
    await readJsonObject(request, limit)
    if (!simulator?.reset) {
      throw new HttpError(
        409,
        simulator
          ? `The simulator at ${simulator.url} runs in another process: clear it with POST ${simulator.url}/_simulator/reset.`
          : 'serve sends to Appcues (--no-simulator), so there is no simulated account to clear.'
      )
    }
    simulator.reset()
    return { status: 200, body: { ok: true } }
  })

  return { routes: [...assetRoutes, setup, run, audience, reset] }
}
