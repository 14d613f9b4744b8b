import net from 'net'

/**
 * A slow client: opens a socket to the server, sends `head`, then `drip` every 20 ms for as long as the server
 * keeps the connection open. Resolves to everything the server sent once it closes the connection.
 */
export function trickle(baseUrl: string, head: string, drip: string): Promise<string> {
  const { hostname, port } = new URL(baseUrl)
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname)
    let received = ''
    let timer: NodeJS.Timeout | undefined
    socket.on('connect', () => {
      socket.write(head)
      timer = setInterval(() => {
        if (!socket.destroyed) socket.write(drip)
      }, 20)
    })
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')))
    // Writing after the server closed fails (EPIPE, ECONNRESET): the close that follows is what is awaited.
    socket.on('error', () => undefined)
    socket.on('close', () => {
      clearInterval(timer)
      resolve(received)
    })
  })
}
