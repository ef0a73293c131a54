/**
 * The MASS encoder-decoder's parameters (two XLM TransformerModels, each with its token embedding
 * tied to its own output projection) and their conversion to and from reference state_dicts.
 * The forward functions live beside it: encoder.ts, decoder.ts, output.ts, seq2seqLoss.ts.
 */
import { tf, type Variable } from '../backend/tf.js';
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

export class MassModel {
  private readonly aliases = tiedAliases();

  private constructor(
    readonly config: ModelConfig,
    /** Canonical parameters in state_dict order (tied aliases excluded). */
    private readonly vars: Map<string, Variable>,
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

  /** A parameter by state_dict name (tied aliases resolve to the shared variable). */
  p(name: string): Variable {
    const v = this.vars.get(this.aliases[name] ?? name);
    if (!v) throw new Error(`no parameter '${name}'`);
    return v;
  }

  /** Canonical (untied) parameters in state_dict order. */
  parameters(): [string, Variable][] {
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
    for (const v of this.vars.values()) n += v.size;
    return n;
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }
}
