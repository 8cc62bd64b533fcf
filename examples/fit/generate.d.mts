/** Types of generate.mjs: synthetic isoFLOP runs from a known Chinchilla-form law. */
export interface LossLaw {
  readonly E: number;
  readonly A: number;
  readonly B: number;
  readonly alpha: number;
  readonly beta: number;
}
export interface SyntheticRun {
  flops: number;
  params: number;
  tokens: number;
  loss: number;
}
export const LAW: LossLaw;
export const BUDGETS: number[];
export function analyticOptimum(law?: LossLaw): { paramsExponent: number; tokensExponent: number; paramsCoefficient: number; tokensCoefficient: number };
export function generateRuns(options?: {
  seed?: number;
  noise?: number;
  spread?: number;
  sizes?: number;
  budgets?: number[];
  law?: LossLaw;
  round?: boolean;
}): SyntheticRun[];
