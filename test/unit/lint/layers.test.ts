/**
 * The import-layer check of `npm run lint` (.dependency-cruiser.cjs) on a small tree shaped like the
 * project: a clean tree passes, and each deliberately wrong import fails with the rule that names it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT, tempDir } from '../../helpers/paths.js';

const DEPCRUISE = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

/** A project tree that follows the rules: the engine below, the daemon and the client above the protocol. */
const CLEAN: Record<string, string> = {
  'server/src/protocol.ts': `export interface CheckpointInfo { path: string }\n`,
  'server/src/engine/model/model.ts': `export const model = 1;\n`,
  'server/src/engine/checkpoint/reader.ts': `import { model } from '../model/model.js';\nexport const read = () => model;\n`,
  'server/src/engine/generate/translator.ts': `import { read } from '../checkpoint/reader.js';\nexport const translate = () => read();\n`,
  'server/src/engine/train/loop.ts': `import { read } from '../checkpoint/reader.js';\nexport const train = () => read();\n`,
  // a cycle made only of type imports is erased at runtime: allowed
  'server/src/engine/text/prefixes.ts': `import { en } from './prefixes/en.js';\nexport interface PrefixList { words: string[] }\nexport const all = [en];\n`,
  'server/src/engine/text/prefixes/en.ts': `import type { PrefixList } from '../prefixes.js';\nexport const en: PrefixList = { words: [] };\n`,
  'server/src/daemon/daemon.ts': `import type { CheckpointInfo } from '../protocol.js';\nimport { translate } from '../engine/generate/translator.js';\nexport const info: CheckpointInfo = { path: String(translate()) };\n`,
  'client/src/extension.ts': `import type { CheckpointInfo } from '../../server/src/protocol.js';\nexport const shown: CheckpointInfo[] = [];\n`,
};

/** One deliberately wrong import per rule (file → its source, and the rule it must trip). */
const WRONG: { file: string; source: string; rule: string }[] = [
  {
    file: 'server/src/engine/model/usesDaemon.ts',
    source: `import { info } from '../../daemon/daemon.js';\nexport const x = info;\n`,
    rule: 'engine-not-above',
  },
  {
    file: 'server/src/engine/model/usesProtocol.ts',
    source: `import type { CheckpointInfo } from '../../protocol.js';\nexport type X = CheckpointInfo;\n`,
    rule: 'engine-not-above',
  },
  {
    file: 'server/src/engine/generate/usesTrain.ts',
    source: `import { train } from '../train/loop.js';\nexport const x = train;\n`,
    rule: 'generate-not-train',
  },
  {
    file: 'client/src/usesEngine.ts',
    source: `import { model } from '../../server/src/engine/model/model.js';\nexport const x = model;\n`,
    rule: 'client-only-protocol',
  },
];

/** A runtime cycle (reported once, from either end). */
const CYCLE: Record<string, string> = {
  'server/src/daemon/cycleA.ts': `import { b } from './cycleB.js';\nexport const a = () => b;\n`,
  'server/src/daemon/cycleB.ts': `import { a } from './cycleA.js';\nexport const b = () => a;\n`,
};

function writeTree(dir: string, files: Record<string, string>): void {
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  copyFileSync(join(ROOT, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', strict: true, noEmit: true },
      include: ['server/src', 'client/src'],
    }),
  );
}

function cruise(dir: string): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, [DEPCRUISE, 'server/src', 'client/src', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], {
    cwd: dir,
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout + r.stderr };
}

test('the layer check passes a tree that keeps the layering (type-only cycles included)', () => {
  const { dir, cleanup } = tempDir('mass-layers-');
  try {
    writeTree(dir, CLEAN);
    const r = cruise(dir);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /no dependency violations/);
  } finally {
    cleanup();
  }
});

test('the layer check fails on each deliberately wrong import, naming the rule', () => {
  const { dir, cleanup } = tempDir('mass-layers-');
  try {
    // protocol.ts importing anything of ours breaks 'protocol-owns-wire-types'
    const files: Record<string, string> = {
      ...CLEAN,
      ...CYCLE,
      'server/src/protocol.ts': `import type { PrefixList } from './engine/text/prefixes.js';\nexport interface CheckpointInfo { path: string; p?: PrefixList }\n`,
    };
    for (const w of WRONG) files[w.file] = w.source;
    writeTree(dir, files);
    const r = cruise(dir);
    assert.notEqual(r.code, 0, r.out);
    assert.match(r.out, /error protocol-owns-wire-types: server\/src\/protocol\.ts → server\/src\/engine\/text\/prefixes\.ts/);
    for (const w of WRONG)
      assert.match(r.out, new RegExp(`error ${w.rule}: ${w.file.replace(/[./]/g, (c) => `\\${c}`)}`), `${w.file} should trip ${w.rule}:\n${r.out}`);
    assert.match(r.out, /error no-runtime-cycle: server\/src\/daemon\/cycle[AB]\.ts → \s*server\/src\/daemon\/cycle[AB]\.ts/);
    // the clean files stay clean
    assert.doesNotMatch(r.out, /engine\/text\/prefixes\/en\.ts/);
  } finally {
    cleanup();
  }
});
