import { UserError } from '../engine/errors.js';

/**
 * The reference's lambda strings (utils.py `parse_lambda_config` / `get_lambda_value`): a constant
 * ('1') or 'step:value' points with linear interpolation ('0:1,100000:0'), constant after the last.
 * As in the reference, a lambda only switches a step on (> 0) or off (0); it does not scale the loss
 * of MASS/BT steps.
 */
export function parseLambda(field: string, s: string): (step: number) => number {
  const text = s.trim();
  if (!text.includes(':')) {
    const v = Number(text);
    if (text === '' || !Number.isFinite(v) || v < 0) throw new UserError(`${field}: '${s}' is not a non-negative number or a 'step:value,...' schedule`);
    return () => v;
  }
  const points = text.split(',').map((p) => {
    const m = /^\s*(\d+)\s*:\s*([0-9.eE+-]+)\s*$/.exec(p);
    if (!m) throw new UserError(`${field}: '${p}' is not 'step:value'`);
    return [Number(m[1]), Number(m[2])] as const;
  });
  if (points[0]![0] !== 0) throw new UserError(`${field}: a schedule must start at step 0`);
  for (let i = 1; i < points.length; i++) {
    if (points[i]![0] <= points[i - 1]![0]) throw new UserError(`${field}: schedule steps must increase`);
  }
  return (step: number) => {
    for (let i = 1; i < points.length; i++) {
      const [x1, y1] = points[i]!;
      const [x0, y0] = points[i - 1]!;
      if (step < x1) return y0 + ((y1 - y0) * (step - x0)) / (x1 - x0);
    }
    return points[points.length - 1]![1];
  };
}
