import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type { Message, ResponseMessage } from 'vscode-jsonrpc';
import { GuardedMessageReader, INVALID_PARAMS, INVALID_REQUEST, PARSE_ERROR } from '../../../server/src/daemon/connection/guardedReader.js';

function frame(body: string): string {
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

function harness() {
  const input = new PassThrough();
  const messages: Message[] = [];
  const replies: ResponseMessage[] = [];
  const reader = new GuardedMessageReader(input, (r) => replies.push(r));
  reader.listen((m) => messages.push(m));
  return { input, messages, replies };
}

const ok = (id: number) => frame(JSON.stringify({ jsonrpc: '2.0', id, method: 'mass/status' }));

test('good messages pass, split across chunks at any byte', () => {
  const { input, messages, replies } = harness();
  const bytes = Buffer.from(ok(1) + frame(JSON.stringify({ jsonrpc: '2.0', method: 'initialized', params: {} })) + ok(2));
  for (const b of bytes) input.write(Buffer.from([b]));
  assert.deepEqual(
    messages.map((m) => (m as unknown as { method: string }).method),
    ['mass/status', 'initialized', 'mass/status'],
  );
  assert.equal(replies.length, 0);
});

test('garbage gets error replies and the next message still arrives', () => {
  const { input, messages, replies } = harness();
  input.write('this is not a header\r\n');
  input.write(ok(1));
  input.write(frame('{"jsonrpc": "2.0", "id": 2, "method": '));
  input.write(ok(3));
  input.write('Content-Length: abc\r\n\r\n');
  input.write(ok(4));
  input.write('X-Other: 1\r\n\r\n');
  input.write(ok(5));
  input.write('{"jsonrpc":"2.0"}' + ok(6));
  input.write(frame('[1,2]') + frame('{"jsonrpc":"1.0","id":7,"method":"x"}') + frame('{"jsonrpc":"2.0","id":8,"method":42}'));
  input.write(frame('{"jsonrpc":"2.0","id":9,"method":"x","params":"oops"}') + frame('{"jsonrpc":"2.0","id":true,"method":"x"}'));
  input.write(Buffer.concat([Buffer.from('Content-Length: 2\r\n\r\n'), Buffer.from([0xff, 0xfe])]));
  input.write(ok(10));
  assert.deepEqual(
    messages.map((m) => (m as unknown as { id: number }).id),
    [1, 3, 4, 5, 6, 10],
  );
  assert.deepEqual(
    replies.map((r) => [r.id, r.error!.code]),
    [
      [null, PARSE_ERROR], // not a header
      [null, PARSE_ERROR], // truncated JSON
      [null, PARSE_ERROR], // Content-Length not a number
      [null, PARSE_ERROR], // no Content-Length
      [null, PARSE_ERROR], // junk before a header
      [null, INVALID_REQUEST], // batch
      [7, INVALID_REQUEST], // jsonrpc 1.0
      [8, INVALID_REQUEST], // method not a string
      [9, INVALID_PARAMS], // params not structured
      [null, INVALID_REQUEST], // bad id
      [null, PARSE_ERROR], // not UTF-8
    ],
  );
  assert.match(replies[8]!.error!.message, /^params: must be an object or an array/);
});

test('an oversized message is skipped, not buffered', () => {
  const { input, messages, replies } = harness();
  input.write(`Content-Length: ${100 * 1024 * 1024}\r\n\r\n`);
  input.write(Buffer.alloc(1024 * 1024, 0x20));
  assert.equal(replies[0]!.error!.code, PARSE_ERROR);
  assert.match(replies[0]!.error!.message, /larger than/);
  assert.equal(messages.length, 0);
});
