/** The step lists of the reference (`--mass_steps 'en,fr'`, `--mt_steps 'en-fr'`, `--bt_steps 'en-fr-en'`). */
export interface StepLists {
  mass: string[];
  mt: [string, string][];
  bt: [string, string, string][];
  s2s: string[];
}

function split(s: string): string[] {
  return s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x.length > 0);
}

export function parseSteps(settings: { mass_steps: string; mt_steps: string; bt_steps: string; s2s_steps: string }): StepLists {
  return {
    mass: split(settings.mass_steps),
    mt: split(settings.mt_steps).map((p) => p.split('-') as [string, string]),
    bt: split(settings.bt_steps).map((p) => p.split('-') as [string, string, string]),
    s2s: split(settings.s2s_steps),
  };
}

export function parseLanguages(lgs: string): string[] {
  return lgs.split('-').filter((x) => x.length > 0);
}
