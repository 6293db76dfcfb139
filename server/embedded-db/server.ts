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
  // Received bytes not yet parsed, kept as chunks: a large message arrives in many chunks and is joined once.
  let chunks: Buffer[] = [];
  let size = 0;
  let queue = Promise.resolve();
  engine.connectionCount++;
  socket.setNoDelay(true);
  socket.on('close', () => engine.disconnected(connectionId));
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk) => {
    chunks.push(chunk);
    size += chunk.length;
    try {
      for (;;) {
        if ((chunks[0] as Buffer).length < 4 && chunks.length > 1) chunks = [Buffer.concat(chunks, size)];
        const len = messageLength(chunks[0] as Buffer, size);
        if (len === 0) return;
        const all = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
        const req = parseMessage(all.subarray(0, len));
        chunks = size > len ? [all.subarray(len)] : [];
        size -= len;
        queue = queue.then(async () => {
          const reply = await engine.execute(req.body, req.db, connectionId);
          if (reply === null) {
            // A test fail point asked to drop the connection, as a crashed or stepped-down server would.
            socket.destroy();
            return;
          }
          if (req.noReply || socket.destroyed) return;
          try {
            socket.write(encodeReply(req, reply));
          } catch (err) {
            const error = new MongoError(10334, `reply cannot be encoded: ${(err as Error).message}`);
            socket.write(encodeReply(req, error.toReply()));
          }
        });
        if (size === 0) return;
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
