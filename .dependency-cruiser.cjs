/**
 * The import layering, checked by `npm run lint:layers` (docs/architecture.md explains the layers).
 *
 *   client/, media/   → only server/src/protocol.ts from the server side
 *   protocol.ts       → nothing of ours (it declares the wire types itself)
 *   engine/           → never daemon/, cli/, protocol.ts, vscode
 *   engine/generate/  → never engine/train/
 *   everything        → no import cycles; a cycle made only of type imports is allowed
 *                       (it vanishes at runtime), a runtime cycle is not.
 *
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'engine-not-above',
      comment: 'The engine is a library: it knows nothing of the daemon, the CLI, the wire protocol or VS Code.',
      severity: 'error',
      from: { path: '^server/src/engine/' },
      to: { path: ['^server/src/(daemon|cli)/', '^server/src/protocol\\.ts$', '^client/', '^media/'] },
    },
    {
      name: 'engine-not-vscode',
      comment: 'The engine runs in the daemon and the CLI, never inside VS Code.',
      severity: 'error',
      from: { path: '^server/src/' },
      to: {
        path: '^vscode$',
        dependencyTypes: ['core', 'npm', 'npm-dev', 'npm-peer', 'npm-optional', 'npm-no-pkg', 'npm-unknown', 'unknown', 'undetermined', 'type-only'],
      },
    },
    {
      name: 'engine-not-vscode-module',
      comment: 'The engine runs in the daemon and the CLI, never inside VS Code.',
      severity: 'error',
      from: { path: '^server/src/' },
      to: { path: '(^|/)node_modules/(@types/)?vscode(/|$)' },
    },
    {
      name: 'generate-not-train',
      comment: 'Decoding needs a model and a checkpoint reader, never the training loop (engine/checkpoint/ is the neutral place).',
      severity: 'error',
      from: { path: '^server/src/engine/generate/' },
      to: { path: '^server/src/engine/train/' },
    },
    {
      name: 'protocol-owns-wire-types',
      comment: 'protocol.ts declares every wire type itself, so an engine refactor cannot change the wire format.',
      severity: 'error',
      from: { path: '^server/src/protocol\\.ts$' },
      to: { path: '^(server|client|media)/' },
    },
    {
      name: 'client-only-protocol',
      comment: 'The extension talks to the daemon over the protocol only; it imports nothing else of the server.',
      severity: 'error',
      from: { path: '^(client|media)/' },
      to: { path: '^server/', pathNot: '^server/src/protocol\\.ts$' },
    },
    {
      name: 'server-not-client',
      comment: 'The daemon and the CLI never import the extension.',
      severity: 'error',
      from: { path: '^server/' },
      to: { path: '^(client|media)/' },
    },
    {
      name: 'no-runtime-cycle',
      comment: 'No import cycles at runtime (a cycle made only of `import type` is allowed: it is erased).',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|out)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
