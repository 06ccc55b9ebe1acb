import type { Server, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

/**
 * How long a client may take to send its headers, and its whole request. Node's defaults (60 s and 5 min) let
 * one slow client hold a socket far longer than anybody's page; these still carry a large upload on a slow line.
 */
export const HEADERS_TIMEOUT_MS = 20_000;
export const REQUEST_TIMEOUT_MS = 120_000;

/** Sets the server's timeouts for slow clients (slowloris: half-sent headers, bodies that never finish). */
export function limitSlowClients(server: Server): void {
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
}

/**
 * Keeps track of the server's sockets so a shutdown can tell the ones serving a request from the ones that are
 * idle (keep-alive) or stalled before their request began (half-sent headers): `server.close()` alone waits for
 * every one of them, forever when a client never finishes.
 */
export function trackConnections(server: Server): { drain(deadlineMs: number): Promise<'drained' | 'forced'> } {
  const sockets = new Set<Socket>();
  const serving = new Map<Socket, number>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      serving.delete(socket);
    });
  });
  let stopping = false;
  server.on('request', (req: IncomingMessage, res) => {
    const socket = req.socket;
    serving.set(socket, (serving.get(socket) ?? 0) + 1);
    // A response sent while stopping tells the client not to reuse the connection.
    if (stopping) res.setHeader('Connection', 'close');
    res.once('close', () => {
      const left = (serving.get(socket) ?? 1) - 1;
      if (left > 0) serving.set(socket, left);
      else serving.delete(socket);
      if (stopping && left <= 0) socket.destroy();
    });
  });
  return {
    /**
     * Stops accepting, closes idle and stalled sockets at once, lets in-flight requests finish until the
     * deadline, then closes whatever is left (a body that stopped short of its Content-Length).
     */
    drain(deadlineMs) {
      stopping = true;
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          for (const socket of sockets) socket.destroy();
          resolve('forced');
        }, deadlineMs);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          resolve('drained');
        });
        for (const socket of sockets) if (!serving.has(socket)) socket.destroy();
      });
    },
  };
}
