/** The network side: accepts TCP or unix-socket connections and runs each connection's requests in order. */
import { createServer, type Server, type Socket } from 'node:net';
import type { Engine } from './engine';
import { MongoError } from './errors';
import { encodeReply, messageLength, parseMessage } from './wire';

export interface Listener {
  server: Server;
  close(): Promise<void>;
}

let nextConnectionId = 1;

function serveConnection(engine: Engine, socket: Socket): void {
  const connectionId = nextConnectionId++;
  let buffered = Buffer.alloc(0);
  let queue = Promise.resolve();
  engine.connectionCount++;
  socket.setNoDelay(true);
  socket.on('close', () => engine.connectionCount--);
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk) => {
    buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
    try {
      for (let len = messageLength(buffered); len > 0; len = messageLength(buffered)) {
        const req = parseMessage(buffered.subarray(0, len));
        buffered = buffered.subarray(len);
        queue = queue.then(async () => {
          const reply = await engine.execute(req.body, req.db, connectionId);
          if (req.noReply || socket.destroyed) return;
          try {
            socket.write(encodeReply(req, reply));
          } catch (err) {
            const error = new MongoError(10334, `reply cannot be encoded: ${(err as Error).message}`);
            socket.write(encodeReply(req, error.toReply()));
          }
        });
      }
    } catch (err) {
      // A malformed message leaves the stream unparseable: drop the connection, as mongod does.
      console.error(`embedded-db: closing connection ${connectionId}: ${(err as Error).message}`);
      socket.destroy();
    }
  });
}

/** Listens on a TCP port (0 = ephemeral) or a unix socket path. */
export async function listen(
  engine: Engine,
  where: { port: number; host: string } | { path: string },
): Promise<Listener> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serveConnection(engine, socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(where, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
