/**
 * moeplan as a library: the scaling-law math (pure functions, no I/O), the law presets,
 * and the input helpers the CLI uses.
 *
 * @example
 * import { trainingFlops, PRESETS } from 'moeplan';
 * trainingFlops(52e9, 7e12); // 3.4924e24 FLOPs (Hunyuan-Large eq. 2)
 */
export {
  type ComputeModel,
  DENSE_COMPUTE,
  HUNYUAN_COMPUTE,
  flopsPerToken,
  paramsForBudget,
  tokensForBudget,
  trainingFlops,
} from './core/compute.js';
export { MoeplanError, isMoeplanError } from './core/errors.js';
export type { Message, MessageArgs, MessageCode } from './core/messages.js';
export { CATALOGUE, type InputName, renderError, renderMessage } from './messages/index.js';
export { ACCELERATORS, type HardwareTime, type HardwareTimeGiven, accelerator, acceleratorPeakFlops, flopsForHardware, trainingTime } from './core/hardware.js';
export { optimalTokensForBatch, tokensAtBatch } from './core/batch-tokens.js';
export { DEFAULT_LAW, PRESETS, UNAVAILABLE_LAWS } from './core/laws/index.js';
export type {
  Allocation,
  ChinchillaLoss,
  CriticalBatchLaw,
  FineGrainedMoeLoss,
  FittedRange,
  JointMoeLoss,
  Law,
  LossModel,
  ParamsConversion,
  ParamsMeaning,
  PowerLaw,
  UnavailableLaw,
} from './core/laws/index.js';
export {
  type LossOptimum,
  type LossPoint,
  type LossTerms,
  type MoeVariables,
  cheapestForLoss,
  effectiveExperts,
  lossAt,
  lossFloor,
  lossTerms,
  optimumAtCompute,
  paramsForLoss,
  tokensForLoss,
} from './core/loss.js';
export { PF_DAY_FLOPS } from './core/laws/index.js';
export {
  KAPLAN_CRITICAL_BATCH,
  batchForMinimumCompute,
  criticalBatchFromCompute,
  criticalBatchFromLoss,
  flopsForMinimumCompute,
  lossForCriticalBatch,
  minimumCompute,
  minimumComputeWithCriticalBatchLaw,
  minimumSteps,
  stepsForMinimumSteps,
} from './core/critical-batch.js';
export {
  type OptimalAllocation,
  allocationBudgetKind,
  chinchillaClosedForm,
  cminForParams,
  cminForTokens,
  optimalAllocation,
} from './core/allocation.js';
export {
  type ExpertLearningRateInput,
  type ExpertLearningRates,
  type PeakSide,
  RATIO_READINGS,
  type RatioReading,
  type RatioSolve,
  batchAndRateFromCompute,
  batchOverNoiseForRatio,
  expertLearningRates,
  learningRateAtRatio,
  optimalLearningRate,
  otherReading,
  peakSide,
  specializedOverShared,
} from './core/learning-rate.js';
export {
  type BudgetGroup,
  type BudgetOptimum,
  type DroppedBudget,
  type FitRun,
  type FittedLawInfo,
  type FittedPowerLaw,
  type IsoflopFit,
  type IsoflopOptions,
  type ClosedFormAllocation,
  type LossParameters,
  type ParametricFit,
  type ParametricGrid,
  type ParametricLawInfo,
  type ParametricOptions,
  type ParametricRun,
  type ParabolaFit,
  type PowerLawFit,
  type Random,
  fitIsoflop,
  fitParametric,
  COARSE_GRID,
  HOFFMANN_GRID,
  closedFormAllocation,
  parametricLaw,
  parametricLoss,
  fitParabola,
  fitPowerLaw,
  groupAutomatically,
  lawFromFit,
  groupByBudgets,
  percentileInterval,
  seededRandom,
  solveLeastSquares,
} from './core/fit/index.js';
export { type NoiseScaleFit, type NoiseScaleRun, fitNoiseScale, runAtBatch } from './core/noise-scale.js';
export {
  DECAY_SHAPES,
  type DecayShape,
  SCHEDULE_DEFAULTS,
  type Schedule,
  type ScheduleOptions,
  type SchedulePhase,
  type SchedulePoint,
  learningRateAt,
  learningRateSchedule,
  sampleSchedule,
  schedulePhase,
} from './core/schedule.js';
export { money, percent, sci, si } from './io/format.js';
export { type QuantitySpec, SUFFIXES, isPlainQuantity, loadExpressionEngine, parseQuantity, parseQuantityAsync } from './io/quantity.js';
export { loadLawSchema, parseLawObject, resolveLaw } from './io/law-file.js';
export {
  type AttentionShape,
  type ComponentCount,
  type ComponentName,
  type GroupedAttention,
  HUNYUAN_LARGE,
  type LatentAttention,
  type MambaShape,
  type ModelArchitecture,
  type MoeShape,
  type ParameterCounts,
  type LayerParams,
  attentionLayerParams,
  attentionParams,
  isMoeLayer,
  kvLayers,
  layerParams,
  parameterCounts,
  swigluParams,
} from './core/architecture.js';
export {
  type ActivationOptions,
  type LayerActivationBytes,
  type LayerActivationShape,
  RECOMPUTE_CHOICES,
  type Recompute,
  layerActivationBytes,
} from './core/memory-activations.js';
export {
  type ModelStateBytes,
  type ParallelLayout,
  PRECISIONS,
  type Precision,
  type PrecisionName,
  type StageLayers,
  type StageWeights,
  type ZeroStage,
  expertDataParallel,
  layoutProblem,
  modelStateBytes,
  pipelineStages,
  stageWeights,
  worldSize,
} from './core/memory-weights.js';
export {
  type ActivationParts,
  DEFAULT_MIN_HEADROOM,
  type InferenceMemoryInput,
  type InferenceStageMemory,
  type LayoutFit,
  type LayoutSearch,
  type MemoryVerdict,
  type StageMemory,
  type TrainingMemory,
  type TrainingMemoryInput,
  fitLayouts,
  inferenceMemory,
  layerShape,
  memoryVerdict,
  trainingMemory,
} from './core/memory.js';
export { formatBytes, parseBytes } from './io/bytes.js';
export {
  KV_DTYPE_BYTES,
  type KvCacheVariant,
  type KvDtype,
  type KvCacheSequence,
  kvCacheBytesPerSequence,
  kvCacheBytesPerToken,
  kvCacheElementsPerToken,
  kvCacheVariants,
  layerKvCache,
} from './core/kv-cache.js';
export { type TrainingFlops, type TrainingFlopsPieces, effectiveSpan, seqLenWhere, trainingFlopsPerToken } from './core/training-flops.js';
export {
  ARCH_LAW,
  type ArchitectureCompute,
  DEFAULT_TRAINING_SEQ_LEN,
  architectureCompute,
  architectureLaw,
  withArchitectureCompute,
} from './io/architecture-compute.js';
export {
  CONFIG_FAMILIES,
  type ConfigFamily,
  type ModelConfig,
  activatedParamsFromConfig,
  parseModelConfig,
  readModelConfig,
} from './io/model-config.js';
export {
  CHECKS,
  CHECK_IDS,
  CHECK_KINDS,
  type CheckDefinition,
  type CheckId,
  type CheckKind,
  type CheckLevel,
  type CheckStatus,
  type Finding,
  type Plan,
  type PlanCheck,
  type PlanDerived,
  type PlanLimit,
  type SkipReason,
  checkPlan,
  defineCheck,
  derivePlan,
  findCheck,
  withinAfterChange,
} from './core/checks/index.js';
export {
  type LoadedPlan,
  type PlanProblem,
  PlanFileError,
  parsePlanText,
  planJsonSchema,
  readPlanFile,
} from './io/plan-file.js';
export type { PlanData, PlanInput } from './io/plan-schema.js';
