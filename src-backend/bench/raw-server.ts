import { fork } from 'node:child_process';

/**
 * A bare node:http server in its own process that answers every request with `body` at once:
 * the ceiling for a load pattern, since a real service can only be slower than doing nothing.
 * `listen` is a Unix socket path or a TCP port on 127.0.0.1. Resolves to a stop function.
 */
export function startRawServer(listen: string | number, body: unknown): Promise<() => void> {
  const where = typeof listen === 'number' ? `${listen}, '127.0.0.1'` : JSON.stringify(listen);
  const code = `
    const http = require('node:http');
    const body = ${JSON.stringify(JSON.stringify(body))};
    http.createServer({ keepAliveTimeout: 65000 }, (req, res) => {
      req.resume(); // read and drop any request body
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      });
    }).listen(${where}, () => process.send('ready'));`;
  // fork('-e') runs the script through node's -e flag
  const child = fork('-e', [code], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (c) => reject(new Error(`raw server exited (${c}) before it was ready`)));
    child.once('message', () => {
      child.removeAllListeners('exit');
      resolve(() => child.kill());
    });
  });
}
