#!/usr/bin/env node
/**
 * A minimal forward proxy for recording TLS through proxies on loopback: SOCKS4 (and 4a), SOCKS5
 * (no authentication, CONNECT only) and HTTP CONNECT, told apart by the first byte (4, 5, or a
 * letter). It connects to the requested address (127.0.0.1 only: anything else is refused) and
 * then relays bytes both ways. Records samples/proxy-*.pcap with curl as the client
 * (scripts/record/record-proxy.sh).
 *
 *   node dist/scripts/record/proxy.js --port P [--count N]
 *
 * Exits after N proxied connections (default 1).
 */
import net from 'node:net';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { port: { type: 'string' }, count: { type: 'string', default: '1' } } });
if (!values.port) {
  process.stderr.write('usage: proxy --port P [--count N]\n');
  process.exit(1);
}
let left = Number(values.count);

function relay(client: net.Socket, host: string, port: number, reply: Buffer, rest: Buffer): void {
  if (host !== '127.0.0.1' && host !== 'localhost') {
    process.stderr.write(`proxy: refusing ${host}:${port} (loopback only)\n`);
    client.destroy();
    return;
  }
  const upstream = net.connect({ host: '127.0.0.1', port }, () => {
    client.write(reply);
    if (rest.length > 0) upstream.write(rest);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  const done = () => {
    if (--left <= 0) {
      server.close();
      setTimeout(() => process.exit(0), 500).unref();
    }
  };
  upstream.on('close', done);
  upstream.on('error', (e) => { process.stderr.write(`proxy: upstream ${e.message}\n`); client.destroy(); });
  client.on('error', () => upstream.destroy());
}

const server = net.createServer((client) => {
  let buf = Buffer.alloc(0);
  let stage = 0;
  const onData = (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    if (buf[0] === 4) {
      // SOCKS4: VN CD DSTPORT DSTIP USERID NUL [HOST NUL for 4a]
      const nul = buf.indexOf(0, 8);
      if (nul < 0) return;
      let host = `${buf[4]}.${buf[5]}.${buf[6]}.${buf[7]}`;
      let end = nul + 1;
      if (buf[4] === 0 && buf[5] === 0 && buf[6] === 0 && buf[7] !== 0) {
        const nul2 = buf.indexOf(0, end);
        if (nul2 < 0) return;
        host = buf.subarray(end, nul2).toString('latin1');
        end = nul2 + 1;
      }
      client.off('data', onData);
      relay(client, host, buf.readUInt16BE(2), Buffer.from([0, 0x5a, 0, 0, 0, 0, 0, 0]), buf.subarray(end));
    } else if (buf[0] === 5) {
      if (stage === 0) {
        if (buf.length < 2 || buf.length < 2 + buf[1]) return;
        const methods = buf.subarray(2, 2 + buf[1]);
        buf = buf.subarray(2 + buf[1]);
        client.write(Buffer.from([5, methods.includes(0) ? 0 : 0xff]));
        stage = 1;
        if (buf.length === 0) return;
      }
      // VER CMD RSV ATYP DST.ADDR DST.PORT
      if (buf.length < 5) return;
      const atyp = buf[3];
      const addrLength = atyp === 1 ? 4 : atyp === 4 ? 16 : 1 + buf[4];
      if (buf.length < 4 + addrLength + 2) return;
      const host = atyp === 1 ? `${buf[4]}.${buf[5]}.${buf[6]}.${buf[7]}` : atyp === 3 ? buf.subarray(5, 5 + buf[4]).toString('latin1') : '::';
      const port = buf.readUInt16BE(4 + addrLength);
      client.off('data', onData);
      relay(client, host, port, Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, port >> 8, port & 0xff]), buf.subarray(4 + addrLength + 2));
    } else {
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const m = /^CONNECT ([^ :]+):(\d+) HTTP\/1\.[01]\r\n/.exec(buf.toString('latin1'));
      client.off('data', onData);
      if (!m) {
        client.end('HTTP/1.1 405 Method Not Allowed\r\n\r\n');
        return;
      }
      relay(client, m[1], Number(m[2]), Buffer.from('HTTP/1.1 200 Connection established\r\n\r\n'), buf.subarray(end + 4));
    }
  };
  client.on('data', onData);
});
server.listen(Number(values.port), '127.0.0.1');
