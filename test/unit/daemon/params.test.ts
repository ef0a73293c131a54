import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCodes, ResponseError } from 'vscode-languageserver';
import { validateParams } from '../../../server/src/daemon/requests/params.js';

const shape = { text: 'stringArray', src: 'nonEmptyString', 'beam?': 'positiveInteger', 'kind?': { oneOf: ['bt', 'mt'] } } as const;

function message(params: unknown): string {
  try {
    validateParams('mass/translate', params, shape);
  } catch (e) {
    assert.ok(e instanceof ResponseError);
    assert.equal(e.code, ErrorCodes.InvalidParams);
    return e.message;
  }
  return 'ok';
}

test('each wrong parameter is named with what was expected and what came', () => {
  assert.equal(message({ text: ['a'], src: 'en' }), 'ok');
  assert.equal(message({ text: ['a'], src: 'en', workDoneToken: 'abc' }), 'ok');
  assert.equal(message({ src: 'en' }), 'mass/translate: params.text: missing');
  assert.equal(message({ text: 'a', src: 'en' }), 'mass/translate: params.text: expected an array of strings, got "a"');
  assert.equal(message({ text: ['a', 3], src: 'en' }), 'mass/translate: params.text[1]: expected a string, got number 3');
  assert.equal(message({ text: [], src: '' }), 'mass/translate: params.src: expected a non-empty string, got ""');
  assert.equal(message({ text: [], src: 'en', beam: '3' }), 'mass/translate: params.beam: expected a positive integer, got "3"');
  assert.equal(message({ text: [], src: 'en', beam: 0 }), 'mass/translate: params.beam: expected a positive integer, got number 0');
  assert.equal(message({ text: [], src: 'en', kind: 'x' }), 'mass/translate: params.kind: expected one of "bt", "mt", got "x"');
  assert.equal(
    message({ text: [], src: 'en', beem: 2 }),
    'mass/translate: params.beem: unknown parameter (expected text, src, beam, kind, workDoneToken, partialResultToken)',
  );
  assert.equal(message([1]), 'mass/translate: params: expected an object, got an array');
});
