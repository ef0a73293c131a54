/**
 * The MASS encoder-decoder's parameters (two XLM TransformerModels, each with its token embedding
 * tied to its own output projection) and their conversion to and from reference state_dicts.
 * The forward functions live beside it: encoder.ts, decoder.ts, output.ts, seq2seqLoss.ts.
 */
import { tf, type Tensor, type Variable } from '../backend/tf.js';
import { UserError } from '../errors.js';
import type { ModelConfig } from './config.js';
import { initialValues, parameterSpecs, stateDictKeys, tiedAliases } from './parameters.js';

/**
 * A trainable variable holding `data`. The tensor it is made from is disposed at once: the variable
 * keeps the data, and a tensor left behind would keep it too after the variable is disposed (one
 * model's weights per model built).
 */
function variableOf(data: Float32Array, shape: number[]): Variable {
  const t = tf.tensor(data, shape, 'float32');
  try {
    return tf.variable(t, true);
  } finally {
    t.dispose();
  }
}

/**
 * Weights read on demand (a checkpoint file opened for reading one tensor at a time). `values` returns
 * fresh memory the caller may drop.
 */
export interface WeightSource {
  shape(name: string): number[] | undefined;
  values(name: string): Float32Array | undefined;
  /** Whether two entries hold identical values (a tied copy and its canonical tensor). */
  sameValues(a: string, b: string): boolean;
  close(): void;
}

export class MassModel {
  private readonly aliases = tiedAliases();

  private constructor(
    readonly config: ModelConfig,
    /** Canonical parameters in state_dict order (tied aliases excluded); with a source, those read so far. */
    private readonly vars: Map<string, Variable>,
    private readonly source?: WeightSource,
    private readonly where = 'model',
  ) {}

  /** A freshly initialised model (reference initialisation, all randomness from `seed`). */
  static init(config: ModelConfig, seed: number): MassModel {
    const vars = new Map<string, Variable>();
    parameterSpecs(config).forEach((spec, i) => {
      vars.set(spec.name, variableOf(initialValues(spec, seed, i), spec.shape));
    });
    return new MassModel(config, vars);
  }

  /**
   * A model from named float arrays (a state_dict as read from a checkpoint). Tied copies, when present,
   * must equal their canonical tensor. `where` names the source in errors.
   */
  static fromStateDict(config: ModelConfig, get: (name: string) => { shape: number[]; data: Float32Array } | undefined, where: string): MassModel {
    const vars = new Map<string, Variable>();
    const specs = parameterSpecs(config);
    try {
      for (const spec of specs) {
        const t = get(spec.name);
        if (!t) throw new UserError(`${where}: parameter '${spec.name}' missing`);
        if (t.shape.join('x') !== spec.shape.join('x')) {
          throw new UserError(`${where}: parameter '${spec.name}' has shape [${t.shape}], the config needs [${spec.shape}]`);
        }
        vars.set(spec.name, variableOf(t.data, spec.shape));
      }
      for (const [alias, canonical] of Object.entries(tiedAliases())) {
        const t = get(alias);
        if (!t) continue;
        const c = get(canonical)!;
        if (t.data.length !== c.data.length || t.data.some((v, i) => v !== c.data[i])) {
          throw new UserError(`${where}: '${alias}' differs from '${canonical}' but MASS ties them (share_inout_emb)`);
        }
      }
    } catch (e) {
      for (const v of vars.values()) v.dispose();
      throw e;
    }
    return new MassModel(config, vars);
  }

  /**
   * A model whose weights stay in `source` until used: {@link p} makes a parameter's variable on first
   * use, and {@link weight} hands out a parameter's values without keeping them, so inference weights
   * laid out differently (InferenceWeights) are built without a second copy of the whole model ever
   * existing (a full-size model is 1.3 GB). Every parameter's presence and shape is checked now, and
   * tied copies against their canonical tensor. The model owns `source` (closed on dispose).
   */
  static fromSource(config: ModelConfig, source: WeightSource, where: string): MassModel {
    try {
      for (const spec of parameterSpecs(config)) {
        const shape = source.shape(spec.name);
        if (!shape) throw new UserError(`${where}: parameter '${spec.name}' missing`);
        if (shape.join('x') !== spec.shape.join('x')) {
          throw new UserError(`${where}: parameter '${spec.name}' has shape [${shape}], the config needs [${spec.shape}]`);
        }
      }
      for (const [alias, canonical] of Object.entries(tiedAliases())) {
        if (source.shape(alias) && !source.sameValues(alias, canonical)) {
          throw new UserError(`${where}: '${alias}' differs from '${canonical}' but MASS ties them (share_inout_emb)`);
        }
      }
    } catch (e) {
      source.close();
      throw e;
    }
    return new MassModel(config, new Map(), source, where);
  }

  /** A parameter by state_dict name (tied aliases resolve to the shared variable). */
  p(name: string): Variable {
    const canonical = this.aliases[name] ?? name;
    let v = this.vars.get(canonical);
    if (!v && this.source) {
      const shape = this.source.shape(canonical);
      const data = shape && this.source.values(canonical);
      if (!shape || !data) throw new Error(`${this.where}: parameter '${canonical}' missing`);
      v = variableOf(data, shape);
      this.vars.set(canonical, v);
    }
    if (!v) throw new Error(`no parameter '${name}'`);
    return v;
  }

  /**
   * A parameter's current values for a one-off use: its variable when it has one (`owned` false), else,
   * for a model read from a source, a fresh tensor read now that the caller must dispose (`owned` true;
   * nothing kept by the model).
   */
  weight(name: string): { tensor: Tensor; owned: boolean } {
    const canonical = this.aliases[name] ?? name;
    const v = this.vars.get(canonical);
    if (v || !this.source) return { tensor: v ?? this.p(name), owned: false };
    const shape = this.source.shape(canonical);
    const data = shape && this.source.values(canonical);
    if (!shape || !data) throw new Error(`${this.where}: parameter '${canonical}' missing`);
    return { tensor: tf.tensor(data, shape, 'float32'), owned: true };
  }

  /** Canonical (untied) parameters in state_dict order (a model read from a source reads them all now). */
  parameters(): [string, Variable][] {
    if (this.source) return parameterSpecs(this.config).map((s) => [s.name, this.p(s.name)]);
    return [...this.vars.entries()];
  }

  /** Every state_dict entry in reference order, tied aliases included (sharing their variable). */
  stateDict(): [string, Variable][] {
    return stateDictKeys(this.config).map((k) => [k, this.p(k)]);
  }

  /** Host copies of every state_dict entry (for checkpoints). */
  async stateDictValues(): Promise<[string, { shape: number[]; data: Float32Array }][]> {
    const out: [string, { shape: number[]; data: Float32Array }][] = [];
    for (const [k, v] of this.stateDict()) out.push([k, { shape: v.shape, data: (await v.data()) as Float32Array }]);
    return out;
  }

  parameterCount(): number {
    let n = 0;
    for (const s of parameterSpecs(this.config)) n += s.shape.reduce((a, b) => a * b, 1);
    return n;
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
    this.source?.close();
  }
}
