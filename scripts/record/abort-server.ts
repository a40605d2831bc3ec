#!/usr/bin/env node
/**
 * A server that takes one connection, reads the client's first TLS record (the ClientHello) and
 * closes without a word of TLS: no ServerHello, no alert. Records samples/handshake-aborted-by-server.pcap
 * (FIN) and samples/handshake-reset-by-server.pcap (RST), the wire picture of a server that gives up on
 * a ClientHello it will not serve (a TLS stack that logs its fatal error but never sends the alert, a
 * proxy or firewall that drops the connection).
 *
 *   node dist/scripts/record/abort-server.js --port P [--host 127.0.0.1] [--reset]
 *
 * --reset closes with RST (socket.resetAndDestroy) instead of FIN. It exits after that one connection.
 */
import net from 'node:net';
import { parseArgs } from 'node:util';

const RECORD_HEADER = 5;

const { values } = parseArgs({
  options: { host: { type: 'string', default: '127.0.0.1' }, port: { type: 'string' }, reset: { type: 'boolean', default: false } },
});
if (!values.port) {
  process.stderr.write('usage: abort-server --port P [--host H] [--reset]\n');
  process.exit(1);
}

const server = net.createServer((socket) => {
  server.close(); // one connection only
  let received = Buffer.alloc(0);
  let closing = false;
  socket.on('data', (chunk: Buffer) => {
    if (closing) return;
    received = Buffer.concat([received, chunk]);
    // Wait for the whole first record, so the close answers a complete ClientHello.
    if (received.length < RECORD_HEADER || received.length < RECORD_HEADER + received.readUInt16BE(3)) return;
    closing = true;
    process.stdout.write(`read a ${received.length}-byte first record from the client; closing with ${values.reset ? 'RST' : 'FIN'}\n`);
    if (values.reset) socket.resetAndDestroy();
    else socket.end();
  });
  socket.on('error', (err) => { process.stderr.write(`abort-server: ${err.message}\n`); });
});
server.listen(Number(values.port), values.host, () => {
  process.stdout.write(`listening on ${values.host}:${values.port}\n`);
});
