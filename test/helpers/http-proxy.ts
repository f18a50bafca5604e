// A tiny forward proxy, standing in for a self-hosted runner's HTTPS_PROXY: it tunnels CONNECT
// requests and forwards absolute-URI HTTP requests, and records each. `hosts` maps names that
// resolve nowhere (e.g. api.github.test) to local ports, so a request that reaches the fake API
// by such a name can only have come through this proxy.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface ProxiedRequest {
  /** CONNECT (a tunnel) or the forwarded HTTP method. */
  method: string;
  /** host:port the client asked for. */
  target: string;
}

export interface HttpProxy {
  url: string;
  requests: ProxiedRequest[];
  close(): Promise<void>;
}

export async function startHttpProxy(hosts: Record<string, { host: string; port: number }>): Promise<HttpProxy> {
  const requests: ProxiedRequest[] = [];
  const sockets = new Set<net.Socket>();
  const resolve = (hostname: string, port: number) => hosts[hostname] ?? { host: hostname, port };

  const server = http.createServer((req, res) => {
    // Forward proxying: the request line carries the absolute URL.
    const url = new URL(req.url ?? '/');
    requests.push({ method: req.method ?? 'GET', target: `${url.hostname}:${url.port || 80}` });
    const to = resolve(url.hostname, Number(url.port || 80));
    const upstream = http.request({ host: to.host, port: to.port, method: req.method, path: `${url.pathname}${url.search}`, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const [hostname, port] = (req.url ?? '').split(':');
    requests.push({ method: 'CONNECT', target: req.url ?? '' });
    const to = resolve(hostname, Number(port));
    const upstream = net.connect(to.port, to.host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    }
    upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'));
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((done, fail) => {
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
        server.close((error) => (error ? fail(error) : done()));
      }),
  };
}
