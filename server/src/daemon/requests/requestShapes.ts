/**
 * The params of every mass/* request, declared once: each handler validates against its shape here,
 * `validateParams` returns the type the shape admits, and the assertions below make that type the one
 * protocol.ts declares (a field added, dropped or retyped on either side is a compile error).
 */
import * as protocol from '../../protocol.js';
import type { Params, SameType, Shape } from './params.js';

export const requestShapes = {
  pretrain: { config: 'nonEmptyString', 'overrides?': 'scalarRecord' },
  finetune: {
    config: 'nonEmptyString',
    kind: { oneOf: protocol.FINETUNE_KINDS },
    'checkpoint?': 'nonEmptyString',
    'task?': 'nonEmptyString',
    'overrides?': 'scalarRecord',
  },
  resume: { config: 'nonEmptyString', 'checkpoint?': 'nonEmptyString' },
  stopTraining: { 'jobId?': 'nonEmptyString' },
  listCheckpoints: { 'config?': 'nonEmptyString' },
  evaluate: { config: 'nonEmptyString', 'checkpoint?': 'nonEmptyString' },
  loadCheckpoint: { path: 'nonEmptyString' },
  importCheckpoint: { path: 'nonEmptyString', codes: 'nonEmptyString', 'vocab?': 'nonEmptyString', 'out?': 'nonEmptyString', 'overwrite?': 'boolean' },
  createConfig: { folder: 'nonEmptyString' },
  analyseCorpus: { path: 'nonEmptyString', 'lang?': 'nonEmptyString' },
  translate: {
    text: 'stringArray',
    src: 'nonEmptyString',
    tgt: 'nonEmptyString',
    'checkpoint?': 'nonEmptyString',
    'beam?': 'positiveInteger',
    'minLen?': 'nonNegativeInteger',
    'noRepeatNgram?': 'nonNegativeInteger',
  },
  summarize: {
    text: 'stringArray',
    'checkpoint?': 'nonEmptyString',
    'beam?': 'positiveInteger',
    'task?': 'nonEmptyString',
    'minLen?': 'nonNegativeInteger',
    'noRepeatNgram?': 'nonNegativeInteger',
  },
} as const satisfies Record<string, Shape>;

/** A shape that disagrees with its protocol type fails here, on its own line ("'false' does not satisfy the constraint 'true'"). */
type Agree<S extends Shape, T> = SameType<Params<S>, T>;
type Assert<T extends true> = T;
type S = typeof requestShapes;

/** Compile-time only: every shape admits exactly its protocol type. */
export type RequestShapesAgree = [
  Assert<Agree<S['pretrain'], protocol.TrainParams>>,
  Assert<Agree<S['finetune'], protocol.FinetuneParams>>,
  Assert<Agree<S['resume'], protocol.ResumeParams>>,
  Assert<Agree<S['stopTraining'], protocol.StopParams>>,
  Assert<Agree<S['listCheckpoints'], protocol.ListCheckpointsParams>>,
  Assert<Agree<S['evaluate'], protocol.EvaluateParams>>,
  Assert<Agree<S['loadCheckpoint'], protocol.LoadCheckpointParams>>,
  Assert<Agree<S['importCheckpoint'], protocol.ImportCheckpointParams>>,
  Assert<Agree<S['createConfig'], protocol.CreateConfigParams>>,
  Assert<Agree<S['analyseCorpus'], protocol.AnalyseCorpusParams>>,
  Assert<Agree<S['translate'], protocol.TranslateParams>>,
  Assert<Agree<S['summarize'], protocol.SummarizeParams>>,
];
