/**
 * The daemon's JSON-RPC framing: reads `Content-Length` framed messages like vscode-jsonrpc's own
 * stream reader, but answers malformed input instead of only logging it, and always recovers:
 * - bytes that are not a header block, headers without a usable Content-Length, a body that is not
 *   UTF-8 JSON → a Parse error (-32700, id null), and the reader resynchronises on the next header;
 * - JSON that is not a JSON-RPC 2.0 message (arrays/batches, wrong `jsonrpc`, a non-string method, an
 *   id that is neither number nor string) → Invalid request (-32600), with the message's id when it
 *   has a usable one;
 * - `params` that are neither an object nor an array → Invalid params (-32602) naming `params`.
 * Well-formed messages go to the connection unchanged; unknown methods and bad params of known
 * methods are answered by the connection and the handlers.
 */
import type { Readable } from 'node:stream';
import { AbstractMessageReader, type DataCallback, type Disposable, type Message, type ResponseMessage } from 'vscode-jsonrpc';

export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const INVALID_PARAMS = -32602;

/** Larger bodies are answered with an error, and the connection is closed. */
export const MAX_CONTENT_LENGTH = 64 * 1024 * 1024;
const MAX_HEADER_BYTES = 8192;
const CRLFCRLF = Buffer.from('\r\n\r\n');

export type InvalidMessageHandler = (reply: ResponseMessage) => void;

/**
 * Decides, for each well-formed message, whether it goes to the connection (undefined), is answered
 * here with an error (a reply), or is dropped ('drop': a notification the lifecycle does not allow).
 */
export type MessageGate = (message: Message) => ResponseMessage | 'drop' | undefined;

export interface GuardedReaderOptions {
  /** The lifecycle gate (initialize first, nothing but exit after shutdown). */
  gate?: MessageGate;
  /**
   * The stream cannot be read on (a Content-Length over the limit: skipping that many bytes could take
   * forever): the connection should be closed. Called once, after the error reply.
   */
  fatal?: (reason: string) => void;
}

function errorReply(code: number, message: string, id: number | string | null = null): ResponseMessage {
  return { jsonrpc: '2.0', id, error: { code, message } };
}

/** Lifecycle messages that take no parameters; `params: null` on them is read as no params. */
const LIFECYCLE_WITHOUT_PARAMS = new Set(['shutdown', 'exit', 'initialized']);

const HEADER_LINE = /^([A-Za-z][A-Za-z0-9-]*):[ \t]*(.*)$/;

/** Checks a parsed body; returns an error reply, or undefined for a proper JSON-RPC message. */
export function checkJsonRpc(value: unknown): ResponseMessage | undefined {
  if (Array.isArray(value)) return errorReply(INVALID_REQUEST, 'batch messages (JSON arrays) are not supported by the Language Server Protocol');
  if (typeof value !== 'object' || value === null) return errorReply(INVALID_REQUEST, 'a JSON-RPC message must be a JSON object');
  const m = value as Record<string, unknown>;
  const id = m.id;
  const idOk = typeof id === 'number' || typeof id === 'string';
  const replyId = idOk ? id : null;
  if (m.jsonrpc !== '2.0') return errorReply(INVALID_REQUEST, `"jsonrpc" must be "2.0", got ${JSON.stringify(m.jsonrpc) ?? 'nothing'}`, replyId);
  if ('method' in m) {
    if (typeof m.method !== 'string' || m.method.length === 0) return errorReply(INVALID_REQUEST, '"method" must be a non-empty string', replyId);
    if ('id' in m && !idOk) return errorReply(INVALID_REQUEST, '"id" must be a number or a string');
    // lifecycle messages without parameters: `params: null` is what several clients send (as lsp-server accepts)
    if (m.params === null && LIFECYCLE_WITHOUT_PARAMS.has(m.method)) {
      delete m.params;
      return undefined;
    }
    if ('params' in m && m.params !== undefined && (typeof m.params !== 'object' || m.params === null)) {
      // a notification cannot be answered; a request gets Invalid params
      return idOk
        ? errorReply(INVALID_PARAMS, `params: must be an object or an array, got ${m.params === null ? 'null' : typeof m.params}`, replyId)
        : errorReply(INVALID_REQUEST, `params of notification '${m.method}' must be an object or an array`);
    }
    return undefined;
  }
  // a response (to a request the daemon sent)
  if ('id' in m && ('result' in m || 'error' in m)) return undefined;
  return errorReply(INVALID_REQUEST, 'neither a request, a notification nor a response (no "method", no "result"/"error")', replyId);
}

export class GuardedMessageReader extends AbstractMessageReader {
  /** Bytes not consumed yet (a header block, or the start of a body). */
  private buffer: Buffer = Buffer.alloc(0);
  /** Chunks received while a body is incomplete: joined once, when the body is complete (linear time). */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private bodyLength = -1;
  /** Bytes of a body in an unsupported charset still to throw away. */
  private discard = 0;
  private callback: DataCallback | undefined;
  private dead = false;

  constructor(
    private readonly input: Readable,
    private readonly onInvalid: InvalidMessageHandler,
    private readonly options: GuardedReaderOptions = {},
  ) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    this.callback = callback;
    const onData = (chunk: Buffer | string) => this.onData(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    const onError = (e: Error) => this.fireError(e);
    let closed = false;
    const onClose = () => {
      if (closed) return;
      closed = true;
      this.fireClose();
    };
    this.input.on('data', onData);
    this.input.on('error', onError);
    this.input.on('end', onClose);
    this.input.on('close', onClose);
    return {
      dispose: () => {
        this.input.off('data', onData);
        this.input.off('error', onError);
        this.input.off('end', onClose);
        this.input.off('close', onClose);
      },
    };
  }

  private reject(reply: ResponseMessage): void {
    try {
      this.onInvalid(reply);
    } catch (e) {
      this.fireError(e);
    }
  }

  private onData(chunk: Buffer): void {
    if (this.dead) return;
    if (this.discard > 0) {
      const n = Math.min(this.discard, chunk.length);
      this.discard -= n;
      chunk = chunk.subarray(n);
      if (chunk.length === 0) return;
    }
    if (this.bodyLength >= 0 && this.buffer.length + this.pendingBytes + chunk.length < this.bodyLength) {
      // the body is still incomplete: keep the chunk, join nothing yet
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      return;
    }
    if (this.pending.length > 0) {
      this.buffer = Buffer.concat([this.buffer, ...this.pending, chunk]);
      this.pending = [];
      this.pendingBytes = 0;
    } else {
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    }
    while (!this.dead) {
      if (this.bodyLength < 0) {
        if (!this.readHeaders()) return;
        continue;
      }
      if (this.buffer.length < this.bodyLength) {
        // keep the partial body apart, so that the next chunks are not copied onto it one by one
        if (this.buffer.length > 0) {
          this.pending.push(this.buffer);
          this.pendingBytes += this.buffer.length;
          this.buffer = Buffer.alloc(0);
        }
        return;
      }
      const body = this.buffer.subarray(0, this.bodyLength);
      this.buffer = this.buffer.subarray(this.bodyLength);
      this.bodyLength = -1;
      this.deliver(body);
    }
  }

  /** Consumes one header block (or garbage); false when more bytes are needed. */
  private readHeaders(): boolean {
    const end = this.buffer.indexOf(CRLFCRLF);
    if (end < 0) {
      // A complete line that cannot start a header block is garbage: answer now rather than wait.
      const nl = this.buffer.indexOf(10);
      if (nl >= 0) {
        const line = this.buffer.subarray(0, nl).toString('latin1').replace(/\r$/, '');
        if (line.length > 0 && !HEADER_LINE.test(line)) {
          this.buffer = this.buffer.subarray(nl + 1);
          this.reject(errorReply(PARSE_ERROR, `expected a 'Content-Length: N' header, got ${JSON.stringify(line.slice(0, 80))}`));
          return true;
        }
        if (line.length === 0) {
          // stray blank line between messages
          this.buffer = this.buffer.subarray(nl + 1);
          return true;
        }
      }
      if (this.buffer.length > MAX_HEADER_BYTES) {
        this.buffer = Buffer.alloc(0);
        this.reject(errorReply(PARSE_ERROR, `header block longer than ${MAX_HEADER_BYTES} bytes without an end`));
      }
      return false;
    }
    let block = this.buffer.subarray(0, end).toString('latin1');
    this.buffer = this.buffer.subarray(end + CRLFCRLF.length);
    // Junk glued in front of a header (`{...}Content-Length: 52`): drop it, say so, and keep the message.
    const cl = block.toLowerCase().lastIndexOf('content-length:');
    if (
      cl > 0 &&
      !block
        .slice(0, cl)
        .split('\r\n')
        .every((l) => l === '' || HEADER_LINE.test(l))
    ) {
      this.reject(errorReply(PARSE_ERROR, `unexpected bytes before the header: ${JSON.stringify(block.slice(0, Math.min(cl, 80)))}`));
      block = block.slice(cl);
    }
    let length: number | undefined;
    for (const line of block.split('\r\n')) {
      const m = HEADER_LINE.exec(line);
      if (!m) {
        this.reject(errorReply(PARSE_ERROR, `malformed header line ${JSON.stringify(line.slice(0, 80))}`));
        return true;
      }
      const name = m[1]!.toLowerCase();
      const value = m[2]!.trim();
      if (name === 'content-length') {
        if (!/^\d+$/.test(value)) {
          this.reject(errorReply(PARSE_ERROR, `Content-Length must be a number of bytes, got ${JSON.stringify(value.slice(0, 40))}`));
          return true;
        }
        length = value.length > 15 ? Number.MAX_SAFE_INTEGER : Number(value);
      } else if (name === 'content-type') {
        const charset = /charset=([^;]+)/i.exec(value)?.[1]?.trim().replace(/^"|"$/g, '').toLowerCase();
        if (charset && charset !== 'utf-8' && charset !== 'utf8') {
          this.reject(errorReply(PARSE_ERROR, `unsupported charset '${charset}' (only utf-8)`));
          if (length !== undefined) this.dropBytes(length);
          return true;
        }
      }
    }
    if (length === undefined) {
      this.reject(errorReply(PARSE_ERROR, 'header block without a Content-Length header'));
      return true;
    }
    if (length > MAX_CONTENT_LENGTH) {
      // skipping the body could take forever (a 12-digit length): answer, then close the connection
      const shown = length === Number.MAX_SAFE_INTEGER ? 'more than 10^15' : String(length);
      const reason = `message of ${shown} bytes is larger than the ${MAX_CONTENT_LENGTH}-byte limit; closing the connection`;
      this.reject(errorReply(PARSE_ERROR, reason));
      this.dead = true;
      this.buffer = Buffer.alloc(0);
      this.pending = [];
      this.pendingBytes = 0;
      this.options.fatal?.(reason);
      return false;
    }
    this.bodyLength = length;
    return true;
  }

  private dropBytes(length: number): void {
    const n = Math.min(length, this.buffer.length);
    this.buffer = this.buffer.subarray(n);
    this.discard = length - n;
  }

  private deliver(body: Buffer): void {
    let value: unknown;
    try {
      value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
    } catch (e) {
      this.reject(errorReply(PARSE_ERROR, `body is not valid ${e instanceof SyntaxError ? 'JSON' : 'UTF-8'}: ${(e as Error).message.slice(0, 120)}`));
      return;
    }
    const problem = checkJsonRpc(value);
    if (problem) {
      this.reject(problem);
      return;
    }
    const gated = this.options.gate?.(value as Message);
    if (gated === 'drop') return;
    if (gated) {
      this.reject(gated);
      return;
    }
    this.callback?.(value as Message);
  }
}
