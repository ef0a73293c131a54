#!/usr/bin/env node
// Bundles the CLI, the daemon and the extension with esbuild into dist/, and copies the runtime
// assets they load from disk (tfjs wasm binaries, webview assets).
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const out = 'dist';
mkdirSync(out, { recursive: true });

const nodeCommon = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // ESM builds first: jsonc-parser's UMD build hides its requires from the bundler.
  mainFields: ['module', 'main'],
  sourcemap: true,
  logLevel: 'warning',
  // Native backends are optional: resolved at run time when installed, never bundled (webgpu is
  // Dawn's Node bindings, an ES module next to its dawn.node binary). tsx is only resolved when
  // running from source (ParallelTrainer's worker), never from a bundle.
  external: ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'webgpu', 'tsx/cjs'],
};

const entries = [
  { in: 'server/src/cli/main.ts', out: 'cli.js', banner: '#!/usr/bin/env node' },
  { in: 'server/src/daemon/main.ts', out: 'daemon.js' },
  // ParallelTrainer's worker threads load it from next to the bundle (its __dirname).
  { in: 'server/src/engine/train/gradientWorker.ts', out: 'gradientWorker.js' },
  { in: 'client/src/extension.ts', out: 'extension.js', external: ['vscode'] },
].filter((e) => existsSync(e.in));

await Promise.all(
  entries.map((e) =>
    build({
      ...nodeCommon,
      entryPoints: [e.in],
      outfile: join(out, e.out),
      external: [...nodeCommon.external, ...(e.external ?? [])],
      banner: e.banner ? { js: e.banner } : undefined,
    }),
  ),
);
if (existsSync(join(out, 'cli.js'))) chmodSync(join(out, 'cli.js'), 0o755);

// The training panel's script runs in the webview (a browser), not in Node.
if (existsSync('media/src/panel.ts')) {
  await build({
    entryPoints: ['media/src/panel.ts'],
    outfile: join(out, 'media', 'panel.js'),
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: true,
    logLevel: 'warning',
  });
}

// Files derived from the config schema (the JSON Schema the extension contributes, docs/config.md).
const gen = await build({
  entryPoints: ['scripts/gen-schema.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  write: false,
  logLevel: 'warning',
});
const { writeGeneratedFiles } = await import('data:text/javascript;base64,' + Buffer.from(gen.outputFiles[0].text).toString('base64'));
const generated = writeGeneratedFiles('.');

// tfjs-backend-wasm looks for its .wasm files next to the bundle.
const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
for (const f of readdirSync(join(wasmDir, 'dist'))) {
  if (f.endsWith('.wasm')) cpSync(join(wasmDir, 'dist', f), join(out, f));
}
console.log(`built ${entries.map((e) => join(out, e.out)).join(', ')}; wrote ${generated.join(', ')}`);
