export { type BudgetGroup, type Grouping, groupAutomatically, groupByBudgets } from './grouping.js';
export { type BudgetOptimum, type DroppedBudget, type FitRun, type FittedPowerLaw, type IsoflopFit, type IsoflopOptions, fitIsoflop } from './isoflop.js';
export { type FittedLawInfo, lawFromFit } from './law.js';
export { type LeastSquaresResult, solveLeastSquares } from './least-squares.js';
export { type ParabolaFailure, type ParabolaFit, fitParabola, parabolaLoss } from './parabola.js';
export { type PowerLawFit, fitPowerLaw } from './power-law.js';
export { percentileInterval, quantileSorted } from './quantile.js';
export { type Random, seededRandom } from './random.js';
