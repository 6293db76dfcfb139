/**
 * MongoDB wire protocol framing: OP_MSG (2013) for everything, and legacy OP_QUERY (2004) / OP_REPLY (1) because
 * drivers open each connection with an OP_QUERY `ismaster` on `admin.$cmd`. OP_COMPRESSED is never negotiated.
 */
import { deserialize } from 'bson';
import { BSON_READ, serializeWhole, type Doc } from './bson-values';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_MSG = 2013;

const CHECKSUM_PRESENT = 1;
const MORE_TO_COME = 2;

export interface Request {
  requestId: number;
  opCode: number;
  /** The command document, with OP_MSG kind-1 document sequences merged in as arrays. */
  body: Doc;
  db: string;
  /** OP_MSG moreToCome: the client expects no reply. */
  noReply: boolean;
}

/**
 * Length of the first message, which starts `head`, when `available` bytes (in `head` and after it) hold it whole;
 * 0 when more bytes are needed.
 */
export function messageLength(head: Buffer, available = head.length): number {
  if (head.length < 4) return 0;
  const len = head.readInt32LE(0);
  if (len < 16 || len > 48_000_000) throw new Error(`invalid message length ${len}`);
  return available >= len ? len : 0;
}

function cstring(buf: Buffer, pos: number): [string, number] {
  const end = buf.indexOf(0, pos);
  return [buf.toString('utf8', pos, end), end + 1];
}

export function parseMessage(msg: Buffer): Request {
  const requestId = msg.readInt32LE(4);
  const opCode = msg.readInt32LE(12);
  if (opCode === OP_MSG) {
    const flags = msg.readUInt32LE(16);
    const end = msg.length - (flags & CHECKSUM_PRESENT ? 4 : 0);
    let pos = 20;
    let body: Doc = {};
    const sequences: Array<[string, Doc[]]> = [];
    while (pos < end) {
      const kind = msg[pos++];
      if (kind === 0) {
        const len = msg.readInt32LE(pos);
        body = deserialize(msg.subarray(pos, pos + len), BSON_READ);
        pos += len;
      } else if (kind === 1) {
        const sectionEnd = pos + msg.readInt32LE(pos);
        const [id, next] = cstring(msg, pos + 4);
        const docs: Doc[] = [];
        for (pos = next; pos < sectionEnd;) {
          const len = msg.readInt32LE(pos);
          docs.push(deserialize(msg.subarray(pos, pos + len), BSON_READ));
          pos += len;
        }
        sequences.push([id, docs]);
      } else {
        throw new Error(`unknown OP_MSG section kind ${kind}`);
      }
    }
    for (const [id, docs] of sequences) body[id] = docs;
    const db = typeof body.$db === 'string' ? body.$db : 'admin';
    return { requestId, opCode, body: stripEnvelope(body), db, noReply: (flags & MORE_TO_COME) !== 0 };
  }
  if (opCode === OP_QUERY) {
    const [ns, next] = cstring(msg, 20);
    const pos = next + 8;
    let body = deserialize(msg.subarray(pos, pos + msg.readInt32LE(pos)), BSON_READ);
    if (body.$query && typeof body.$query === 'object') body = body.$query as Doc;
    return { requestId, opCode, body: stripEnvelope(body), db: ns.split('.')[0] ?? 'admin', noReply: false };
  }
  throw new Error(`unsupported wire opcode ${opCode}`);
}

/** Drops `$db`, `$readPreference`, `$clusterTime` and the like: routing envelope, not command arguments. */
function stripEnvelope(body: Doc): Doc {
  for (const k of Object.keys(body)) if (k.startsWith('$')) delete body[k];
  return body;
}

function header(length: number, responseTo: number, opCode: number): Buffer {
  const h = Buffer.alloc(16);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(0, 4);
  h.writeInt32LE(responseTo, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

/** The reply to `req` in the matching format. */
export function encodeReply(req: Request, reply: Doc): Buffer {
  const doc = serializeWhole(reply);
  if (req.opCode === OP_QUERY) {
    const prefix = Buffer.alloc(20);
    prefix.writeInt32LE(1, 16);
    const len = 16 + 20 + doc.length;
    return Buffer.concat([header(len, req.requestId, OP_REPLY), prefix, doc]);
  }
  const flagsAndKind = Buffer.alloc(5);
  return Buffer.concat([header(16 + 5 + doc.length, req.requestId, OP_MSG), flagsAndKind, doc]);
}
