export { type BudgetGroup, type Grouping, groupAutomatically, groupByBudgets } from './grouping.js';
export { type BudgetOptimum, type DroppedBudget, type FitRun, type FittedPowerLaw, type IsoflopFit, type IsoflopOptions, fitIsoflop } from './isoflop.js';
export { type FittedLawInfo, lawFromFit } from './law.js';
export {
  type ClosedFormAllocation,
  type LossParameters,
  type ParametricFit,
  type ParametricGrid,
  type ParametricOptions,
  type ParametricRun,
  COARSE_GRID,
  HOFFMANN_GRID,
  closedFormAllocation,
  fitParametric,
  parametricLoss,
} from './parametric.js';
export { type ParametricLawInfo, parametricLaw } from './parametric-law.js';
export { type LbfgsOptions, type LbfgsResult, type ObjectiveWithGradient, minimizeLbfgs } from './lbfgs.js';
export { type LeastSquaresResult, solveLeastSquares } from './least-squares.js';
export { type ParabolaFailure, type ParabolaFit, fitParabola, parabolaLoss } from './parabola.js';
export { type PowerLawFit, fitPowerLaw } from './power-law.js';
export { percentileInterval, quantileSorted } from './quantile.js';
export { type Random, seededRandom } from './random.js';
