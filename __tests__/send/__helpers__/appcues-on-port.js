// Preloaded into a `send` process (node -r): stands in for the network. Requests for Appcues' hosts reach the
// local server on APPCUES_PORT through a keep-alive https agent of this process, which send knows nothing about,
// as a real connection to Appcues would (send's own routing to a simulator is not used).
const https = require('https')
const net = require('net')

class LocalAgent extends https.Agent {
  createConnection() {
    return net.connect(Number(process.env.APPCUES_PORT), '127.0.0.1')
  }
}

https.globalAgent = new LocalAgent({ keepAlive: true })
