import net from 'net'

/**
 * Sends one request line exactly as given (`GET http://[ HTTP/1.1`), with a Host header, over a raw socket, and
 * resolves to the status line of the answer ('' when the server closed without one).
 */
export function rawRequestLine(baseUrl: string, requestLine: string): Promise<string> {
  const { hostname, port } = new URL(baseUrl)
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname, () =>
      socket.write(`${requestLine}\r\nHost: ${hostname}:${port}\r\nConnection: close\r\n\r\n`)
    )
    let received = ''
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')))
    socket.on('error', () => undefined)
    socket.on('close', () => resolve(received.split('\r\n')[0]))
  })
}

/** Request targets Node's HTTP parser lets through but that are no path: absolute URLs, authorities, `*`. */
export const HOSTILE_TARGETS = ['http://[', 'http://[/x', '*', 'http://127.0.0.1/manifest', 'x', '%']
